// Writes schema/scenario.schema.json from the zod types. Run with `npm run schema`; a test fails
// when the committed file is stale.
import { writeFileSync } from "node:fs";
import { SCENARIO_SCHEMA_PATH, scenarioJsonSchemaText } from "../sim/scenario/json-schema.js";

writeFileSync(new URL(`../${SCENARIO_SCHEMA_PATH}`, import.meta.url), scenarioJsonSchemaText());
process.stdout.write(`wrote ${SCENARIO_SCHEMA_PATH}\n`);
