// Imported first: zod compiles object parsers with `new Function` when it may, deciding so when a schema
// is built (the protocol's are built as their module loads). This page's policy forbids eval, and zod's
// probe for it would be reported as a violation; so zod is told not to try, before any schema exists.
import { z } from 'zod';

z.config({ jitless: true });
