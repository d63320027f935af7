DROP TABLE pay_mode_templates;
