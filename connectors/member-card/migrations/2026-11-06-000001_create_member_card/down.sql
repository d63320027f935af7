DROP TABLE operations;
DROP TABLE ledger_entries;
DROP TABLE member_counts;
DROP TABLE members;
