-- The demo carrier's parcels for the demo customers, dated from the day the demo starts (it seeds
-- at every start): order 1043 of user@example.com is on its way as TRK-1043, arriving in two days;
-- order 1050 of user2@example.com was delivered two days ago. A day a customer chose in the demo
-- (a reschedule) stands until it has passed.
insert into demo_carrier_shipments as s (tracking_number, customer_email, order_id, status, delivery_date, city) values
  ('TRK-1043', 'user@example.com', 1043, 'in_transit', to_char((now() at time zone 'utc')::date + 2, 'YYYY-MM-DD'), 'Lyon'),
  ('TRK-1050', 'user2@example.com', 1050, 'delivered', to_char((now() at time zone 'utc')::date - 2, 'YYYY-MM-DD'), 'Ghent')
on conflict (tracking_number) do update set delivery_date = excluded.delivery_date, status = excluded.status, updated_at = now()
  where not (
    s.status = excluded.status
    and s.delivery_date > to_char((now() at time zone 'utc')::date, 'YYYY-MM-DD')
    and exists (select 1 from demo_carrier_reschedules r where r.tracking_number = s.tracking_number)
  );
