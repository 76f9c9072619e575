import { z } from "zod";

// Zod compiles object parsers with `new Function` when it may. Its probe for that trips the strict
// CSP (script-src without 'unsafe-eval') in the browser: reported as a violation even though zod
// catches the error. The interpreted parser is plenty fast for forms. Imported for its effect by
// every client module that parses with zod (and by the providers, which every page loads).
z.config({ jitless: true });
