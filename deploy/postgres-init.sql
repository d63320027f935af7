-- One database per service. docker-compose's PostgreSQL runs this on its first start (an empty
-- data volume); for a production server run it once as a superuser:
--   psql "postgres://postgres@db.example.internal/postgres" -f deploy/postgres-init.sql
-- Each service creates its own tables at start (embedded migrations, under an advisory lock).
-- In production give each service its own role as well, owning only its database, e.g.
--   CREATE ROLE payserver_template LOGIN PASSWORD '...';
--   ALTER DATABASE payserver_template OWNER TO payserver_template;
CREATE DATABASE payserver_template;
CREATE DATABASE payserver_paymode;
CREATE DATABASE payserver_payorder;
CREATE DATABASE payserver_refund;
CREATE DATABASE payserver_sign_account;
CREATE DATABASE payserver_member_card;
CREATE DATABASE payserver_wechat;
CREATE DATABASE payserver_alipay;
