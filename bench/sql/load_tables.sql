-- The tenant's tables for DuckDB, from the reachlens.dataset/1 JSON (bench/duckdb_bench.mjs).
-- Only the fields the summary reads; relations keep their input order for ties.
CREATE TABLE doc AS
SELECT * FROM read_json('$dataset', format = 'auto', records = true, maximum_object_size = 4000000000,
    columns = {
        departments: 'STRUCT(id BIGINT, parentid BIGINT)[]',
        employees: 'STRUCT(userid VARCHAR, department BIGINT[], status VARCHAR, moments_enabled BOOLEAN)[]',
        customers: 'STRUCT(external_userid VARCHAR, follow_user STRUCT(userid VARCHAR, createtime BIGINT, deleted BOOLEAN)[])[]',
        deliveries: 'STRUCT(external_userid VARCHAR, userid VARCHAR, kind VARCHAR, origin VARCHAR, "time" BIGINT)[]',
        not_interested: 'STRUCT(external_userid VARCHAR, userid VARCHAR, "time" BIGINT)[]'
    });
CREATE TABLE departments AS SELECT d.id, d.parentid FROM (SELECT unnest(departments) AS d FROM doc);
CREATE TABLE employees AS
    SELECT e.userid, e.department, e.status = 'active' AS active, e.moments_enabled FROM (SELECT unnest(employees) AS e FROM doc);
CREATE TABLE relations AS
    SELECT cs.c.external_userid AS customer, fu.f.userid, fu.f.createtime, fu.f.deleted, fu.ord
    FROM (SELECT unnest(customers) AS c FROM doc) AS cs,
         LATERAL (SELECT unnest(cs.c.follow_user) AS f, generate_subscripts(cs.c.follow_user, 1) AS ord) AS fu;
CREATE TABLE deliveries AS
    SELECT d.external_userid AS customer, d.userid, d.kind, d.origin, d."time" AS t FROM (SELECT unnest(deliveries) AS d FROM doc);
CREATE TABLE not_interested AS
    SELECT n.external_userid AS customer, n.userid, n."time" AS t FROM (SELECT unnest(not_interested) AS n FROM doc);
DROP TABLE doc;
