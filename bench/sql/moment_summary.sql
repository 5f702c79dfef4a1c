-- Customer verdicts of an enterprise moment to everyone (no tag_list) under wecom-2025:
-- audience = customers with a pair (a relation to a sender); the first live pair in pair
-- order (createtime, userid, input order: multi_sender first_added) is the one delivered;
-- it is blocked by an active not-interested event of its sender (168 h), else by the
-- enterprise-moment month quota (4 per customer per local calendar month); a customer
-- without a live pair is not_friend when a sender who can post lost them, else
-- sender_inactive. Result: one row per verdict with its customer count.
WITH RECURSIVE dept_tree(id) AS (
    SELECT unnest($department_list)
    UNION
    SELECT d.id FROM departments d JOIN dept_tree p ON d.parentid = p.id
),
senders AS (
    SELECT e.userid, bool_or(e.active AND e.moments_enabled) AS can_send
    FROM employees e
    WHERE list_has_any(e.department, (SELECT list(id) FROM dept_tree)) OR list_contains($user_list, e.userid)
    GROUP BY e.userid
),
pairs AS (
    SELECT r.customer, r.userid, s.can_send AND NOT r.deleted AS live, s.can_send AND r.deleted AS lost,
           row_number() OVER (PARTITION BY r.customer
                              ORDER BY (s.can_send AND NOT r.deleted) DESC, r.createtime, r.userid, r.ord) AS pick
    FROM relations r JOIN senders s USING (userid)
),
per_customer AS (
    SELECT customer,
           max(CASE WHEN pick = 1 AND live THEN userid END) AS picked,
           bool_or(lost) AS any_lost
    FROM pairs GROUP BY customer
),
month_count AS (
    SELECT customer, count(*) AS n FROM deliveries
    WHERE kind = 'moment' AND origin = 'enterprise' AND t >= $month_begin AND t < $month_end
    GROUP BY customer
),
blocked_by_event AS (
    SELECT DISTINCT n.customer, n.userid FROM not_interested n
    WHERE n.t <= $send_time AND $send_time < n.t + 168 * 3600
)
SELECT CASE
           WHEN p.picked IS NULL THEN CASE WHEN p.any_lost THEN 'not_friend' ELSE 'sender_inactive' END
           WHEN b.customer IS NOT NULL THEN 'not_interested'
           WHEN coalesce(m.n, 0) >= 4 THEN 'quota:moment_enterprise_month'
           ELSE 'reached'
       END AS verdict,
       count(*) AS customers
FROM per_customer p
LEFT JOIN month_count m ON m.customer = p.customer
LEFT JOIN blocked_by_event b ON b.customer = p.customer AND b.userid = p.picked
GROUP BY verdict
ORDER BY verdict;
