/** Where the published schemas the tests validate against live: in the repository (see test/schemas/SOURCES.md). */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const SCHEMAS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../schemas');
export const K8S_SCHEMAS_DIR = path.join(SCHEMAS_DIR, 'k8s');
