import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import formatsPlugin from 'ajv-formats';

/**
 * Codat's official OpenAPI 3.1 specs, read at test time from the shared folder beside the repository (never
 * copied into it), and validators for requests and answers built from them with Ajv (JSON Schema 2020-12).
 */

/** The specs, in the order operations are looked up: the Platform API first, then synchronous Bill Pay. */
export const specNames = ['Codat-Platform', 'Codat-Sync-Payables'] as const;
/** One of Codat's specs. */
export type SpecName = (typeof specNames)[number];

/**
 * Where the specs are read from: `../shared/codat/oas/` relative to the repository root, or `CODAT_OAS_DIR`
 * (for a checkout elsewhere, such as a git worktree).
 */
export const specDir = process.env.CODAT_OAS_DIR
  ? `${process.env.CODAT_OAS_DIR.replace(/\/+$/, '')}/`
  : fileURLToPath(new URL('../../../shared/codat/oas/', import.meta.url));

/** True when both specs are there; the contract suites skip (and say so) when they are not. */
export const specsAvailable = specNames.every((name) => existsSync(`${specDir}${name}.json`));

/** The line a contract suite prints when it is skipped. */
export const skipNotice = `Codat specs not found at ${specDir}, contract suite skipped`;

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Codat's 3.1 specs still mark nullable values the OpenAPI 3.0 way (`nullable: true`), which JSON Schema
 * 2020-12 ignores, and often beside a `$ref` without a `type` (which Ajv refuses to compile). Rewrite each
 * such schema, in the in-memory copy only, to what it means: null is allowed too. Nodes keep their place,
 * so every `#/components/...` pointer into the document still resolves.
 */
function allowNull(node: unknown, key = ''): void {
  if (Array.isArray(node)) {
    for (const item of node) allowNull(item);
    return;
  }
  if (!isObject(node) || key === 'example' || key === 'examples') return;
  if (typeof node.nullable === 'boolean') {
    const nullable = node.nullable;
    delete node.nullable;
    if (nullable) {
      if (node.type !== undefined) {
        const types = Array.isArray(node.type) ? (node.type as unknown[]) : [node.type];
        if (!types.includes('null')) node.type = [...types, 'null'];
        if (Array.isArray(node.enum) && !node.enum.includes(null)) node.enum = [...(node.enum as unknown[]), null];
      } else {
        // Only the keywords null itself would fail move under anyOf; type-specific ones pass null anyway.
        const moved: Json = {};
        for (const name of ['$ref', 'allOf', 'oneOf', 'anyOf', 'enum', 'const', 'not']) {
          if (name in node) {
            moved[name] = node[name];
            delete node[name];
          }
        }
        if (Object.keys(moved).length > 0) node.anyOf = [{ type: 'null' }, moved];
      }
    }
  }
  for (const [name, value] of Object.entries(node)) allowNull(value, name);
}

interface LoadedSpec {
  name: SpecName;
  id: string;
  doc: Json;
}

function loadSpecs(): { ajv: Ajv2020; specs: LoadedSpec[] } {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
  formatsPlugin.default(ajv);
  // Formats Codat uses that no standard defines; they constrain nothing the kit sends or reads.
  ajv.addFormat('decimal', true);
  ajv.addFormat('ISO4217', true);
  const specs = specNames.map((name) => {
    const file = `${specDir}${name}.json`;
    const doc = JSON.parse(readFileSync(file, 'utf8')) as Json;
    allowNull(doc);
    const id = pathToFileURL(file).href;
    ajv.addSchema(doc, id);
    return { name, id, doc };
  });
  return { ajv, specs };
}

const loaded = specsAvailable ? loadSpecs() : undefined;

function need(): { ajv: Ajv2020; specs: LoadedSpec[] } {
  if (!loaded) throw new Error(skipNotice);
  return loaded;
}

/** A JSON pointer, as the fragment of a URI. */
const fragment = (pointer: string[]) => `#${pointer.map((s) => `/${encodeURIComponent(s.replace(/~/g, '~0').replace(/\//g, '~1'))}`).join('')}`;

function at(doc: Json, pointer: string[]): unknown {
  let node: unknown = doc;
  for (const segment of pointer) node = isObject(node) || Array.isArray(node) ? (node as Json)[segment] : undefined;
  return node;
}

/** Follows a local `$ref` (an OpenAPI reference object) to the node and its pointer. */
function deref(doc: Json, node: unknown, pointer: string[]): { node: unknown; pointer: string[] } {
  let current = { node, pointer };
  for (let hops = 0; isObject(current.node) && typeof current.node.$ref === 'string' && hops < 10; hops++) {
    const ref = current.node.$ref;
    if (!ref.startsWith('#/')) throw new Error(`Only local references are supported, not ${ref}`);
    const next = ref
      .slice(2)
      .split('/')
      .map((s) => decodeURIComponent(s).replace(/~1/g, '/').replace(/~0/g, '~'));
    current = { node: at(doc, next), pointer: next };
  }
  return current;
}

const validators = new Map<string, ValidateFunction>();

function validatorFor(spec: LoadedSpec, pointer: string[]): ValidateFunction {
  const ref = `${spec.id}${fragment(pointer)}`;
  let validate = validators.get(ref);
  if (!validate) {
    validate = need().ajv.compile({ $ref: ref });
    validators.set(ref, validate);
  }
  return validate;
}

function describeError(where: string, error: ErrorObject): string {
  const path = error.instancePath === '' ? '' : ` ${error.instancePath}`;
  const params = error.params as Record<string, unknown>;
  let detail = error.message ?? error.keyword;
  if (error.keyword === 'additionalProperties') detail += ` (${String(params.additionalProperty)})`;
  else if (error.keyword === 'enum') detail += ` (${(params.allowedValues as unknown[]).map(String).join(', ')})`;
  else if (error.keyword === 'propertyNames') detail += ` (${String(params.propertyName)})`;
  return `${where}${path}: ${detail}`;
}

function check(spec: LoadedSpec, pointer: string[], value: unknown, where: string): string[] {
  const validate = validatorFor(spec, pointer);
  if (validate(value)) return [];
  const errors = (validate.errors ?? []).filter((e) => e.keyword !== 'if');
  // allErrors repeats an anyOf's branch failures: keep them, they say why null was not the only problem.
  return [...new Set(errors.map((e) => describeError(where, e)))];
}

/** An operation of one of Codat's specs that a concrete request matched. */
export interface SpecOperation {
  /** The spec it is in. */
  spec: SpecName;
  /** `operationId`, e.g. `create-company`. */
  operationId: string;
  /** Upper-case HTTP method. */
  method: string;
  /** The path template, e.g. `/companies/{companyId}/connections`. */
  template: string;
  /** The path parameters' values, decoded. */
  pathParams: Record<string, string>;
}

interface Match extends SpecOperation {
  loaded: LoadedSpec;
  operation: Json;
  pointer: string[];
  pathItem: Json;
}

function splitPath(path: string): { segments: string[]; search: string } {
  const q = path.indexOf('?');
  const pathname = q === -1 ? path : path.slice(0, q);
  return { segments: pathname.split('/').filter((s) => s !== ''), search: q === -1 ? '' : path.slice(q + 1) };
}

function matches(method: string, path: string): Match[] {
  const { specs } = need();
  const { segments } = splitPath(path);
  const lower = method.toLowerCase();
  const found: Match[] = [];
  for (const loaded of specs) {
    const candidates: { match: Match; literals: number }[] = [];
    for (const [template, pathItem] of Object.entries((loaded.doc.paths ?? {}) as Record<string, Json>)) {
      const operation = pathItem[lower];
      if (!isObject(operation)) continue;
      const parts = template.split('/').filter((s) => s !== '');
      if (parts.length !== segments.length) continue;
      const pathParams: Record<string, string> = {};
      let literals = 0;
      const ok = parts.every((part, i) => {
        const actual = segments[i] ?? '';
        const param = /^\{(.+)\}$/.exec(part);
        if (param) {
          let value = actual;
          try {
            value = decodeURIComponent(actual);
          } catch {
            // Kept as sent: it then fails the parameter's schema.
          }
          pathParams[param[1] ?? ''] = value;
          return actual !== '';
        }
        literals++;
        return part === actual;
      });
      if (!ok) continue;
      const match: Match = {
        spec: loaded.name,
        operationId: String(operation.operationId ?? `${lower} ${template}`),
        method: method.toUpperCase(),
        template,
        pathParams,
        loaded,
        operation,
        pointer: ['paths', template, lower],
        pathItem,
      };
      candidates.push({ match, literals });
    }
    // A literal segment beats a parameter (`/webhooks/integrationKeys/zapier` is not `/webhooks/{webhookId}/...`).
    candidates.sort((a, b) => b.literals - a.literals);
    if (candidates[0]) found.push(candidates[0].match);
  }
  return found;
}

/** Every spec's operation that `method path` matches (a path may carry a query string), Platform first. */
export function findOperations(method: string, path: string): SpecOperation[] {
  return matches(method, path).map(({ spec, operationId, method: m, template, pathParams }) => ({ spec, operationId, method: m, template, pathParams }));
}

/** The Platform API's operation for `method path` (or Bill Pay's, when only that spec has it). */
export function findOperation(method: string, path: string): SpecOperation | undefined {
  return findOperations(method, path)[0];
}

interface Parameter {
  name: string;
  in: string;
  required: boolean;
  pointer: string[];
  schema: Json | undefined;
}

function parametersOf(match: Match): Parameter[] {
  const { doc } = match.loaded;
  const byKey = new Map<string, Parameter>();
  const collect = (list: unknown, pointer: string[]) => {
    if (!Array.isArray(list)) return;
    list.forEach((item, i) => {
      const { node, pointer: p } = deref(doc, item, [...pointer, String(i)]);
      if (!isObject(node)) return;
      const name = String(node.name);
      const location = String(node.in);
      // Operation-level parameters override path-level ones of the same name and location.
      byKey.set(`${location} ${name}`, {
        name,
        in: location,
        required: node.required === true,
        pointer: [...p, 'schema'],
        schema: isObject(node.schema) ? node.schema : undefined,
      });
    });
  };
  collect(match.pathItem.parameters, ['paths', match.template, 'parameters']);
  collect(match.operation.parameters, [...match.pointer, 'parameters']);
  return [...byKey.values()];
}

/** Turns a query or path string into the type its schema wants, so `page=1` checks as the integer 1. */
function coerce(value: string, schema: Json | undefined, doc: Json): unknown {
  const resolved = deref(doc, schema, []).node;
  const type = isObject(resolved) ? resolved.type : undefined;
  const types = Array.isArray(type) ? type : [type];
  if ((types.includes('integer') || types.includes('number')) && value.trim() !== '' && !Number.isNaN(Number(value))) return Number(value);
  if (types.includes('boolean') && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}

/** The pointer to a content map's JSON schema, or undefined when it declares none. */
function jsonSchemaOf(content: unknown, pointer: string[]): string[] | undefined {
  if (!isObject(content)) return undefined;
  const type = Object.keys(content).find((t) => /^application\/(?:[\w.+-]*\+)?json\b/i.test(t));
  if (type === undefined || !isObject(content[type]) || !('schema' in content[type])) return undefined;
  return [...pointer, type, 'schema'];
}

/** A request as the test saw it. */
export interface RequestRecord {
  /** HTTP method. */
  method: string;
  /** Path, optionally with a query string, e.g. `/companies?page=1`. */
  path: string;
  /** Query parameters besides those in `path`. */
  query?: URLSearchParams | Record<string, string> | undefined;
  /** The parsed JSON body, or undefined for none. */
  body?: unknown;
}

/**
 * Checks a request against every spec holding its operation: the path and query parameters against their
 * schemas (undeclared query parameters are errors), the body against the requestBody schema. Returns
 * readable errors; an empty list means valid.
 */
export function validateRequest(request: RequestRecord): string[] {
  const found = matches(request.method, request.path);
  if (found.length === 0) return [`${request.method.toUpperCase()} ${request.path} matches no operation in Codat's specs`];
  const query = new URLSearchParams(splitPath(request.path).search);
  const extra = request.query instanceof URLSearchParams ? request.query : new URLSearchParams(request.query ?? {});
  for (const [name, value] of extra) query.append(name, value);
  const errors: string[] = [];
  for (const match of found) {
    const where = (what: string) => `${match.spec} ${match.operationId} ${what}`;
    const { doc } = match.loaded;
    const parameters = parametersOf(match);
    for (const parameter of parameters) {
      if (parameter.in === 'path') {
        const value = match.pathParams[parameter.name];
        if (value === undefined) errors.push(where(`path parameter ${parameter.name} is missing`));
        else if (parameter.schema) errors.push(...check(match.loaded, parameter.pointer, coerce(value, parameter.schema, doc), where(`path parameter ${parameter.name}`)));
      } else if (parameter.in === 'query') {
        const values = query.getAll(parameter.name);
        if (values.length === 0) {
          if (parameter.required) errors.push(where(`query parameter ${parameter.name} is required`));
          continue;
        }
        if (values.length > 1) errors.push(where(`query parameter ${parameter.name} is sent ${values.length} times`));
        if (parameter.schema) errors.push(...check(match.loaded, parameter.pointer, coerce(values[0] ?? '', parameter.schema, doc), where(`query parameter ${parameter.name}`)));
      }
    }
    for (const name of new Set(query.keys())) {
      if (!parameters.some((p) => p.in === 'query' && p.name === name)) errors.push(where(`query parameter ${name} is not declared`));
    }
    const { node: requestBody, pointer } = deref(doc, match.operation.requestBody, [...match.pointer, 'requestBody']);
    if (request.body === undefined) {
      if (isObject(requestBody) && requestBody.required === true) errors.push(where('request body is required'));
    } else if (!isObject(requestBody)) {
      errors.push(where('takes no request body, but one was sent'));
    } else {
      const schema = jsonSchemaOf(requestBody.content, [...pointer, 'content']);
      if (!schema) errors.push(where('has no JSON request body schema'));
      else errors.push(...check(match.loaded, schema, request.body, where('request body')));
    }
  }
  return [...new Set(errors)];
}

/** An answer as the test saw it. */
export interface ResponseRecord {
  /** The request's method. */
  method: string;
  /** The request's path (a query string is ignored). */
  path: string;
  /** HTTP status of the answer. */
  status: number;
  /** The answer's body as text ('' for none). */
  body: string;
}

/**
 * Checks an answer against every spec holding the request's operation: the status must be declared, a
 * declared JSON body must parse and validate against its schema, and a 2xx whose spec response has no
 * content must have an empty body. Returns readable errors; an empty list means valid.
 */
export function validateResponse(response: ResponseRecord): string[] {
  const found = matches(response.method, response.path);
  if (found.length === 0) return [`${response.method.toUpperCase()} ${response.path} matches no operation in Codat's specs`];
  const errors: string[] = [];
  for (const match of found) {
    const where = (what: string) => `${match.spec} ${match.operationId} ${response.status} ${what}`;
    const { doc } = match.loaded;
    const responses = isObject(match.operation.responses) ? match.operation.responses : {};
    const code = [String(response.status), `${String(response.status)[0]}XX`, 'default'].find((c) => c in responses);
    if (code === undefined) {
      errors.push(`${match.spec} ${match.operationId} does not declare status ${response.status} (declares ${Object.keys(responses).join(', ')})`);
      continue;
    }
    const { node, pointer } = deref(doc, responses[code], [...match.pointer, 'responses', code]);
    const content = isObject(node) ? node.content : undefined;
    const schema = jsonSchemaOf(content, [...pointer, 'content']);
    if (!isObject(content) || Object.keys(content).length === 0) {
      if (response.status >= 200 && response.status < 300 && response.body !== '') {
        errors.push(where(`declares no content, but the body is ${JSON.stringify(response.body.slice(0, 80))}`));
      }
      continue;
    }
    if (!schema) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(response.body);
    } catch {
      errors.push(where(`body is not JSON: ${JSON.stringify(response.body.slice(0, 80))}`));
      continue;
    }
    errors.push(...check(match.loaded, schema, parsed, where('body')));
  }
  return [...new Set(errors)];
}

/**
 * Checks a value against a schema of a spec given by its JSON pointer, e.g. `#/components/schemas/ErrorMessage`.
 * Returns readable errors; an empty list means valid.
 */
export function validateSchema(ref: string, value: unknown, spec: SpecName = 'Codat-Platform'): string[] {
  const loaded = need().specs.find((s) => s.name === spec);
  if (!loaded) throw new Error(`No spec ${spec}`);
  const pointer = ref
    .replace(/^#\//, '')
    .split('/')
    .map((s) => decodeURIComponent(s).replace(/~1/g, '/').replace(/~0/g, '~'));
  if (at(loaded.doc, pointer) === undefined) throw new Error(`${spec} has nothing at ${ref}`);
  return check(loaded, pointer, value, `${spec} ${ref.replace(/^#\/components\/schemas\//, '')}`);
}
