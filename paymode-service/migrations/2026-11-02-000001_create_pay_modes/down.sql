DROP TABLE pay_modes;
