import { createRequire as __canaryCreateRequire } from 'node:module'; const require = __canaryCreateRequire(import.meta.url);

// src/util/redact.ts
var Redactor = class {
  secrets = /* @__PURE__ */ new Set();
  add(value) {
    if (value.length < 4) return;
    this.secrets.add(value);
    this.secrets.add(encodeURIComponent(value));
    this.secrets.add(Buffer.from(value).toString("base64"));
  }
  redact(text) {
    let out = text;
    const longestFirst = [...this.secrets].sort((a, b) => b.length - a.length);
    for (const secret of longestFirst) out = out.split(secret).join("***");
    return out;
  }
};

export {
  Redactor
};
