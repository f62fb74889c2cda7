#!/usr/bin/env node
// Validates rendered Kubernetes manifests against the API's schemas, offline and strictly (unknown fields fail,
// as kubectl's strict field validation and kubeconform -strict do):
//
//   helm template fleet deploy/helm/kbench | node deploy/helm/validate-manifests.cjs .ci/tools/kubeschema
//
// The schemas come from npm packages that .ci/run installs into the given folder: kubernetes-models (the Kubernetes
// OpenAPI definitions as JSON schemas) and @kubernetes-models/prometheus-operator (the ServiceMonitor CRD's schema).
// Those versions validate leniently (unknown fields pass), so this script takes each schema a model registers, closes
// every object in it that lists its properties (additionalProperties: false) and compiles it with Ajv and the formats
// the models use.
// Prints "ok Kind/name" per valid document; per invalid one a line naming its Kind/name and each error. Exit 0 if
// all are valid, 1 if any is not, 2 on bad input (unparsable YAML, no apiVersion/kind, no schema for a kind).
"use strict";
const fs = require("fs");
const path = require("path");
const { createRequire } = require("module");

function fail(message) {
  process.stderr.write(`validate-manifests: ${message}\n`);
  process.exit(2);
}

if (process.argv.length !== 3) fail("usage: validate-manifests.cjs TOOLS_DIR < manifests.yaml");
const tools = path.resolve(process.argv[2]);
if (!fs.existsSync(path.join(tools, "node_modules", "kubernetes-models"))) {
  fail(`${tools}: no kubernetes-models installed there (.ci/run installs it)`);
}
const load = createRequire(path.join(tools, "package.json"));
const YAML = load("yaml");
// Every schema a model needs reaches the validate package through its register(id, schema) export, called when a
// model's schema is first added; taking that export over collects them, closed, into a strict Ajv of our own.
const validatePackage = load("@kubernetes-models/validate");
const fromValidate = createRequire(load.resolve("@kubernetes-models/validate"));
const Ajv = fromValidate("ajv").default;
const strict = new Ajv({ strictTypes: false, allErrors: true });
fromValidate("ajv-formats").default(strict);
fromValidate("ajv-formats-draft2019")(strict);
// The formats the validate package adds beside those (Kubernetes' base64 "byte" and resource quantities).
strict.addFormat("byte", { type: "string", validate: (v) => /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(v) });
strict.addFormat("quantity", { type: "string", validate: /^[+-]?(?:\d+|\d+\.\d+|\d+\.|\.\d+)(?:[KMGTPE]i|[YZEPTGMkhdcmunpfazy]|da|[eE][+-]?(?:\d+|\d+\.\d+|\d+\.|\.\d+))?$/ });
const registered = new Set();
validatePackage.register = (id, schema) => {
  if (!registered.has(id)) strict.addSchema(closed(schema), id);
  registered.add(id);
};

/** The models module of an apiVersion: core groups from kubernetes-models, monitoring.coreos.com from its package. */
function modelsOf(apiVersion) {
  const group = apiVersion.includes("/") ? apiVersion.split("/")[0] : "";
  const pkg = group.startsWith("monitoring.coreos.com") ? "@kubernetes-models/prometheus-operator" : "kubernetes-models";
  try {
    return load(`${pkg}/${apiVersion}`);
  } catch (e) {
    return null;
  }
}

/** The schema id and registration function a model class carries (set by @kubernetes-models/base's setSchema). */
function schemaOf(model) {
  let id = null;
  let register = null;
  for (const symbol of Object.getOwnPropertySymbols(model.prototype)) {
    const value = model.prototype[symbol];
    if (typeof value === "string") id = value;
    if (typeof value === "function") register = value;
  }
  return id && register ? { id, register } : null;
}

/** A deep copy of a schema in which every object that lists properties admits no others. */
function closed(schema) {
  if (Array.isArray(schema)) return schema.map(closed);
  if (schema === null || typeof schema !== "object") return schema;
  const copy = {};
  for (const [key, value] of Object.entries(schema)) copy[key] = closed(value);
  if (copy.properties && copy.additionalProperties === undefined) copy.additionalProperties = false;
  return copy;
}

function describe(error) {
  const extra = error.params && error.params.additionalProperty ? ` '${error.params.additionalProperty}'` : "";
  return `${error.instancePath || "/"} ${error.message}${extra}`;
}

const documents = YAML.parseAllDocuments(fs.readFileSync(0, "utf8"));
let invalid = 0;
let count = 0;
for (const document of documents) {
  if (document.errors.length > 0) fail(`unparsable YAML: ${document.errors[0].message.split("\n")[0]}`);
  const object = document.toJS();
  if (object === null || object === undefined) continue;
  count++;
  const what = `${object.kind}/${object.metadata && object.metadata.name}`;
  if (typeof object.apiVersion !== "string" || typeof object.kind !== "string") {
    fail(`document ${count} (${what}): no apiVersion or kind`);
  }
  const models = modelsOf(object.apiVersion);
  const schema = models && models[object.kind] && schemaOf(models[object.kind]);
  if (!schema) fail(`${what}: no schema for ${object.apiVersion} ${object.kind}`);
  schema.register();
  const validate = strict.getSchema(schema.id);
  if (validate(object)) {
    process.stdout.write(`ok ${what}\n`);
  } else {
    invalid++;
    // A nullable reference adds "must be null" and "must match exactly one schema" beside the real error.
    const errors = validate.errors.filter(
      (e) => e.keyword !== "oneOf" && !(e.keyword === "type" && e.params.type === "null"),
    );
    process.stdout.write(`invalid ${what}: ${errors.map(describe).join("; ")}\n`);
  }
}
if (count === 0) fail("no manifests on standard input");
process.exit(invalid > 0 ? 1 : 0);
