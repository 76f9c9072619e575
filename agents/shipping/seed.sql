-- The demo carrier's parcels for the demo customers, dated from the day the demo is seeded:
-- order 1043 of user@example.com is on its way as TRK-1043; order 1050 of user2@example.com was delivered.
insert into demo_carrier_shipments (tracking_number, customer_email, order_id, status, delivery_date, city) values
  ('TRK-1043', 'user@example.com', 1043, 'in_transit', to_char((now() at time zone 'utc')::date + 2, 'YYYY-MM-DD'), 'Lyon'),
  ('TRK-1050', 'user2@example.com', 1050, 'delivered', to_char((now() at time zone 'utc')::date - 2, 'YYYY-MM-DD'), 'Ghent')
on conflict do nothing;
