DROP TABLE operations;
DROP TABLE ledger_entries;
DROP TABLE sign_persons;
DROP TABLE sign_accounters;
