-- Customer verdicts of the 6-clause enterprise mass send (campaigns/03-*) under wecom-2025.
-- Audience (contract 4), evaluated per customer at the send time t:
--   tags_any $tags_any AND tags_none $tags_none     on the customer's tags (customer_tags)
--   spend_90d >= $spend_min AND city IN $cities    typed attributes (customers)
--   added_within_days $added_days                   a relation not deleted, createtime in (t - N days, t]
--   NOT received mass_send within $received_days    no ledger mass send (any origin) in (t - N days, t]
-- Pairs: relations with a selected sender; a pair is live when its sender is active and it
-- is not deleted. wecom-2025 gives mass sends multi_sender last_chat (one picked live pair)
-- and one quota, mass_send_any_month: days_in_month mass sends a local calendar month per
-- customer. That quota counts the customer's ledger alone, whichever pair is picked, so a
-- customer is reached when some live pair exists and the month holds fewer than
-- $days_in_month mass sends; blocked by the quota when it holds as many; without a live
-- pair not_friend when an active sender was deleted, else sender_inactive; no_relation
-- without any pair. The generated tenants' scheduled campaigns all come after the draft, so
-- the ledger at t is the dataset's. Result: one row per verdict with its customer count.
WITH RECURSIVE dept_tree(id) AS (
    SELECT unnest($department_list)
    UNION
    SELECT d.id FROM departments d JOIN dept_tree p ON d.parentid = p.id
),
senders AS (
    SELECT e.userid, bool_or(e.active) AS active
    FROM employees e
    WHERE list_has_any(e.department, (SELECT list(id) FROM dept_tree)) OR list_contains($user_list, e.userid)
    GROUP BY e.userid
),
audience AS (
    SELECT c.customer
    FROM customers c
    WHERE c.spend_90d >= $spend_min
      AND c.city IN (SELECT unnest($cities))
      AND c.customer IN (SELECT customer FROM customer_tags WHERE tag IN (SELECT unnest($tags_any)))
      AND c.customer NOT IN (SELECT customer FROM customer_tags WHERE tag IN (SELECT unnest($tags_none)))
      AND c.customer IN (SELECT customer FROM relations
                         WHERE NOT deleted AND createtime > $send_time - $added_days * 86400 AND createtime <= $send_time)
      AND c.customer NOT IN (SELECT customer FROM deliveries
                             WHERE kind = 'mass_send' AND t > $send_time - $received_days * 86400 AND t <= $send_time)
),
per_customer AS (
    SELECT r.customer, bool_or(s.active AND NOT r.deleted) AS live, bool_or(s.active AND r.deleted) AS lost
    FROM relations r JOIN senders s USING (userid)
    WHERE r.customer IN (SELECT customer FROM audience)
    GROUP BY r.customer
),
month_count AS (
    SELECT customer, count(*) AS n FROM deliveries
    WHERE kind = 'mass_send' AND t >= $month_begin AND t < $month_end
    GROUP BY customer
)
SELECT CASE
           WHEN p.customer IS NULL THEN 'no_relation'
           WHEN p.live THEN CASE WHEN coalesce(m.n, 0) >= $days_in_month THEN 'quota:mass_send_any_month' ELSE 'reached' END
           WHEN p.lost THEN 'not_friend'
           ELSE 'sender_inactive'
       END AS verdict,
       count(*) AS customers
FROM audience a
LEFT JOIN per_customer p ON p.customer = a.customer
LEFT JOIN month_count m ON m.customer = a.customer
GROUP BY verdict
ORDER BY verdict;
