-- The demo billing service's records (agents/subscriptions/billing): customers' subscriptions and
-- the credits issued on them. Writes are at most once per Idempotency-Key (idempotency_records,
-- scope demo-billing).
create table if not exists demo_billing_subscriptions (
  id text primary key,
  -- The billing service knows its customers by email: reads and writes are scoped to it.
  customer_email text not null,
  plan text not null,
  -- active | paused | cancelled
  status text not null,
  monthly_cents integer not null check (monthly_cents > 0),
  currency text not null default 'EUR',
  -- YYYY-MM-DD: the next renewal (active), the day a pause ends (paused), the last paid day (cancelled).
  renews_on text not null,
  updated_at timestamptz not null default now()
);
create index if not exists demo_billing_subscriptions_customer on demo_billing_subscriptions (customer_email);

create table if not exists demo_billing_credits (
  id text primary key,
  subscription_id text not null references demo_billing_subscriptions (id),
  amount_cents integer not null check (amount_cents > 0),
  reason text not null,
  idempotency_key text not null unique,
  created_at timestamptz not null default now()
);
