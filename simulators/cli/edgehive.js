#!/usr/bin/env node
// The `edgehive` command: registers tsx so the TypeScript sources run as they are, then hands
// over to main.ts, which loads only the subcommand asked for (see docs/decisions/0001).
import { register } from 'tsx/esm/api';

register();
await import('./main.ts');
