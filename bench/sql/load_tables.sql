-- The tenant's tables for DuckDB, from the reachlens.dataset/1 JSON (bench/duckdb_bench.mjs).
-- Only the fields the summary reads; relations keep their input order for ties.
CREATE TABLE doc AS
SELECT * FROM read_json('$dataset', format = 'auto', records = true, maximum_object_size = 4000000000,
    columns = {
        departments: 'STRUCT(id BIGINT, parentid BIGINT)[]',
        employees: 'STRUCT(userid VARCHAR, department BIGINT[], status VARCHAR, moments_enabled BOOLEAN)[]',
        customers: 'STRUCT(external_userid VARCHAR, attributes JSON, follow_user STRUCT(userid VARCHAR, createtime BIGINT, deleted BOOLEAN, last_chat_time BIGINT, tag_id VARCHAR[])[])[]',
        deliveries: 'STRUCT(external_userid VARCHAR, userid VARCHAR, kind VARCHAR, origin VARCHAR, "time" BIGINT)[]',
        not_interested: 'STRUCT(external_userid VARCHAR, userid VARCHAR, "time" BIGINT)[]'
    });
CREATE TABLE departments AS SELECT d.id, d.parentid FROM (SELECT unnest(departments) AS d FROM doc);
CREATE TABLE employees AS
    SELECT e.userid, e.department, e.status = 'active' AS active, e.moments_enabled FROM (SELECT unnest(employees) AS e FROM doc);
CREATE TABLE relations AS
    SELECT cs.c.external_userid AS customer, fu.f.userid, fu.f.createtime, fu.f.deleted, fu.f.last_chat_time, fu.f.tag_id, fu.ord
    FROM (SELECT unnest(customers) AS c FROM doc) AS cs,
         LATERAL (SELECT unnest(cs.c.follow_user) AS f, generate_subscripts(cs.c.follow_user, 1) AS ord) AS fu;
-- A customer's tags (contract 4: the union over relations that are not deleted), one row each.
CREATE TABLE customer_tags AS
    SELECT DISTINCT customer, unnest(tag_id) AS tag FROM relations WHERE NOT deleted;
-- The attributes the mass send's filter reads, typed as the contract compares them: a number
-- only when the JSON value is a number, a string only when it is a string (else NULL, and
-- every comparison with NULL is false, as with a missing attribute).
CREATE TABLE customers AS
    SELECT c.external_userid AS customer,
           CASE WHEN json_type(c.attributes, '$.spend_90d') IN ('DOUBLE', 'BIGINT', 'UBIGINT')
                THEN CAST(json_extract(c.attributes, '$.spend_90d') AS DOUBLE) END AS spend_90d,
           CASE WHEN json_type(c.attributes, '$.city') = 'VARCHAR'
                THEN json_extract_string(c.attributes, '$.city') END AS city
    FROM (SELECT unnest(customers) AS c FROM doc);
CREATE TABLE deliveries AS
    SELECT d.external_userid AS customer, d.userid, d.kind, d.origin, d."time" AS t FROM (SELECT unnest(deliveries) AS d FROM doc);
CREATE TABLE not_interested AS
    SELECT n.external_userid AS customer, n.userid, n."time" AS t FROM (SELECT unnest(not_interested) AS n FROM doc);
DROP TABLE doc;
