-- The demo carrier's records (agents/shipping/carrier): its parcels, the delivery changes it made
-- and the tickets opened with it. Until this folder owned them they were in the core's schema.
create table if not exists demo_carrier_shipments (
  tracking_number text primary key,
  -- The carrier knows its recipients by email: reads and writes are scoped to it.
  customer_email text not null,
  order_id integer not null,
  -- in_transit | out_for_delivery | delivered
  status text not null,
  -- The planned (or actual) delivery day, YYYY-MM-DD.
  delivery_date text not null,
  city text not null,
  updated_at timestamptz not null default now(),
  unique (customer_email, order_id)
);

create table if not exists demo_carrier_reschedules (
  id text primary key,
  tracking_number text not null references demo_carrier_shipments (tracking_number) on update cascade,
  previous_date text not null,
  delivery_date text not null,
  idempotency_key text not null unique,
  created_at timestamptz not null default now()
);

create table if not exists demo_carrier_tickets (
  id text primary key,
  customer_email text not null,
  tracking_number text,
  subject text not null,
  description text not null,
  idempotency_key text not null unique,
  created_at timestamptz not null default now()
);
