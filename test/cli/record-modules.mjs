// `node --import ./record-modules.mjs ...`: appends the URL of every module the process loads
// through the ES module loader to the file named by KILN_RECORD_MODULES (one per line).
import { register } from 'node:module';

const file = process.env.KILN_RECORD_MODULES;
if (file) register('./record-modules-hooks.mjs', import.meta.url, { data: { file } });
