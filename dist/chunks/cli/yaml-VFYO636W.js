import { createRequire as __canaryCreateRequire } from 'node:module'; const require = __canaryCreateRequire(import.meta.url);
import {
  FILE_LIMITS,
  MAX_YAML_NODES,
  checkExpansion,
  loadAllYamlChecked,
  loadYamlChecked,
  readLimited
} from "./chunk-K2APE3TQ.js";
import "./chunk-XNWF4ENP.js";
export {
  FILE_LIMITS,
  MAX_YAML_NODES,
  checkExpansion,
  loadAllYamlChecked,
  loadYamlChecked,
  readLimited
};
