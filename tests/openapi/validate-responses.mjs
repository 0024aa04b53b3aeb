// Checks the hub's recorded answers (tests/support/ResponseRecorder.h: one JSON line per answer)
// against docs/openapi.json with ajv:
// - an answer to a documented operation must have a documented status (the operation's own, or
//   `default` for errors) and content type, and a JSON body that its schema accepts;
// - an answer to anything else (unknown path, method the path does not take) must be an error
//   (4xx/5xx) whose body is the Error object.
// With --require-every-operation, every operation of the document must also have been answered
// with a success (1xx–3xx) at least once: the recordings exercised the whole API.
//
//   node validate-responses.mjs [--require-every-operation] OPENAPI_JSON FILE_OR_DIR...
//
// Exits 0 when every answer conforms, 1 listing the ones that do not, 2 on a usage error.
import fs from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const MAX_LISTED = 25;

function usage(message) {
  console.error(`validate-responses: ${message}`);
  console.error('usage: node validate-responses.mjs [--require-every-operation] OPENAPI_JSON FILE_OR_DIR...');
  process.exit(2);
}

const args = process.argv.slice(2);
const requireEveryOperation = args.includes('--require-every-operation');
const [documentFile, ...inputs] = args.filter((a) => !a.startsWith('--'));
if (!documentFile || inputs.length === 0) usage('an OpenAPI document and at least one recording are needed');

const document = JSON.parse(fs.readFileSync(documentFile, 'utf8'));
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
// The whole document as one schema, so that every "#/components/…" reference resolves; its
// response schemas are then compiled by JSON pointer into it.
ajv.addSchema({ ...document, $id: 'openapi.json' });

const pointer = (parts) => parts.map((p) => String(p).replaceAll('~', '~0').replaceAll('/', '~1')).join('/');
const validators = new Map();
function validatorAt(parts) {
  const ref = `openapi.json#/${pointer(parts)}`;
  if (!validators.has(ref)) validators.set(ref, ajv.compile({ $ref: ref }));
  return validators.get(ref);
}

// A `$ref` to components/responses, followed; returns the response and where it lives.
function resolveResponse(response, parts) {
  if (response && response.$ref) {
    const target = response.$ref.replace(/^#\//, '').split('/');
    return resolveResponse(target.reduce((node, key) => node?.[key], document), target);
  }
  return { response, parts };
}

// Templates in the router's way: segments split on '/', empty ones ignored; literal segments
// outrank parameters, so /api/integrations/providers is not /api/integrations/{id}.
const templates = Object.entries(document.paths).map(([template, item]) => ({
  template,
  item,
  segments: template.split('/').filter(Boolean),
}));
function operationsFor(requestPath) {
  const segments = requestPath.split('/').filter(Boolean);
  let best = -1;
  let found = [];
  for (const t of templates) {
    if (t.segments.length !== segments.length) continue;
    let literals = 0;
    let fits = true;
    t.segments.forEach((s, i) => {
      if (s.startsWith('{') && s.endsWith('}')) return;
      if (s === segments[i]) literals += 1;
      else fits = false;
    });
    if (!fits || literals < best) continue;
    if (literals > best) found = [];
    best = literals;
    found.push(t);
  }
  return found;
}

function errorsText(validate) {
  return ajv.errorsText(validate.errors, { separator: '; ', dataVar: 'body' });
}

function parseBody(record) {
  try {
    return { value: JSON.parse(record.body) };
  } catch (e) {
    return { error: `body is not JSON: ${e.message}` };
  }
}

// What is wrong with one recorded answer, or null.
function check(record, seen) {
  const requestPath = record.target.split('?')[0];
  const method = record.method.toLowerCase();
  const status = String(record.status);
  const fitting = operationsFor(requestPath);
  const owner = fitting.find((t) => t.item[method]);
  if (!owner) {
    if (record.status < 400) return `answered ${status} on a path and method the document does not have`;
    if (record.contentType !== 'application/json') return `error answer is ${record.contentType || 'not typed'}, not JSON`;
    if (record.body === undefined) return null;  // too large to keep
    const body = parseBody(record);
    if (body.error) return body.error;
    const validate = validatorAt(['components', 'schemas', 'Error']);
    return validate(body.value) ? null : `not the Error object: ${errorsText(validate)}`;
  }
  const operation = owner.item[method];
  const key = `${method.toUpperCase()} ${owner.template}`;
  const responses = operation.responses;
  const documented = responses[status] ? status : responses[`${status[0]}XX`] ? `${status[0]}XX` : null;
  if (!documented && (record.status < 400 || !responses.default)) {
    return `${key} does not document status ${status}`;
  }
  const statusKey = documented ?? 'default';
  if (record.status < 400) seen.add(key);
  const { response, parts } = resolveResponse(responses[statusKey], ['paths', owner.template, method, 'responses', statusKey]);
  const content = response.content ?? {};
  if (Object.keys(content).length === 0) {
    return record.bodyBytes > 0 ? `${key} ${status} documents no body, but one came (${record.bodyBytes} bytes)` : null;
  }
  if (!content[record.contentType]) {
    return `${key} ${status} documents ${Object.keys(content).join(', ')}, not "${record.contentType}"`;
  }
  if (record.contentType !== 'application/json' || record.body === undefined) return null;
  const body = parseBody(record);
  if (body.error) return body.error;
  const validate = validatorAt([...parts, 'content', record.contentType, 'schema']);
  return validate(body.value) ? null : `${key} ${status}: ${errorsText(validate)}`;
}

function recordingFiles(input) {
  if (!fs.existsSync(input)) return [];
  if (!fs.statSync(input).isDirectory()) return [input];
  return fs.readdirSync(input).filter((f) => f.endsWith('.jsonl')).sort().map((f) => path.join(input, f));
}

let checked = 0;
const problems = [];
const seen = new Set();
for (const file of inputs.flatMap(recordingFiles)) {
  const text = fs.readFileSync(file, 'utf8');
  // A line still being written (no newline yet) is left for the next run.
  const lines = text.split('\n').slice(0, -1).filter((l) => l.length > 0);
  for (const line of lines) {
    const record = JSON.parse(line);
    checked += 1;
    const problem = check(record, seen);
    if (problem) problems.push({ record, problem, file });
  }
}

const allOperations = templates.flatMap((t) => METHODS.filter((m) => t.item[m]).map((m) => `${m.toUpperCase()} ${t.template}`));
const unexercised = allOperations.filter((op) => !seen.has(op));
console.log(`validate-responses: ${checked} answers checked against ${documentFile}; ` +
            `${allOperations.length - unexercised.length} of ${allOperations.length} operations answered with a success`);
if (unexercised.length > 0) console.log(`  never answered with a success: ${unexercised.join(', ')}`);
for (const { record, problem, file } of problems.slice(0, MAX_LISTED)) {
  const body = record.body === undefined ? '' : ` ${record.body.slice(0, 300)}`;
  console.log(`  ✗ ${record.method} ${record.target} → ${record.status}: ${problem}\n      ${path.basename(file)}:${body}`);
}
if (problems.length > MAX_LISTED) console.log(`  … and ${problems.length - MAX_LISTED} more`);
if (checked === 0 && requireEveryOperation) {
  console.log('validate-responses: nothing was recorded');
  process.exit(1);
}
const failed = problems.length > 0 || (requireEveryOperation && unexercised.length > 0);
console.log(failed ? `validate-responses: ${problems.length} answers do not conform` : 'validate-responses: every answer conforms');
process.exit(failed ? 1 : 0);
