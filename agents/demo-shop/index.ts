import "server-only";
import { toolsFor, type Subject } from "@/lib/agent-kit";
import { db } from "@/lib/db";
import { Shop } from "./service";

/** Tools of the demo agents get the shop as their dependency: `execute: (input, { deps }) => deps.lookupOrder(…)`. */
export const shopTool = toolsFor<Shop>();

/** Each run of a demo agent talks to the shop as the customer it acts for. */
export const shopFor = (subject: Subject) => new Shop(db, subject.email);

export { Shop };
export { shopFixtures } from "./fixtures";
