-- The demo billing service's subscriptions for the demo customers, renewing relative to the day the
-- demo starts (it seeds at every start): an active subscription whose renewal day has passed renews
-- again from today; one the demo paused or cancelled stays as it is.
insert into demo_billing_subscriptions as s (id, customer_email, plan, status, monthly_cents, renews_on) values
  ('sub_ada_coffee', 'user@example.com', 'Coffee club (monthly beans)', 'active', 1990, to_char((now() at time zone 'utc')::date + 12, 'YYYY-MM-DD')),
  ('sub_grace_books', 'user2@example.com', 'Book box', 'active', 2900, to_char((now() at time zone 'utc')::date + 5, 'YYYY-MM-DD'))
on conflict (id) do update set renews_on = excluded.renews_on, updated_at = now()
  where s.status = 'active' and s.renews_on <= to_char((now() at time zone 'utc')::date, 'YYYY-MM-DD');
