import "server-only";
import { toolsFor, type FactRequest, type Subject } from "@/lib/agent-kit";
import { db } from "@/lib/db";
import { Shop } from "./service";

/** Tools of the demo agents get the shop as their dependency: `execute: (input, { deps }) => deps.lookupOrder(…)`. */
export const shopTool = toolsFor<Shop>();

/** Each run of a demo agent talks to the shop as the customer it acts for. */
export const shopFor = (subject: Subject) => new Shop(db, subject.email);

/** What policy rules may ask of the shop about a call (account age, recent refunds, the order's total). */
export const shopFacts = (ask: FactRequest, shop: Shop) => shop.facts(ask.names, ask.arguments);

export { Shop };
export { shopFixtures } from "./fixtures";
