#!/usr/bin/env node
// Validates CloudFormation templates offline against the AWS resource specification database that
// ships in the npm package @aws-cdk/aws-service-spec (db.json.gz).
//
// What it checks, per template:
//   - the template's sections, parameters (types, keys, defaults against their own constraints),
//     conditions, rules, resources, outputs;
//   - every resource type exists in the specification, every property name exists on its type
//     (nested property types included), required properties are present, and values have the
//     right shape: scalar / list / map / structure, and literal integers, numbers and booleans;
//   - intrinsic functions: Ref and Fn::Sub variables resolve, Fn::GetAtt names an attribute the
//     resource type has, Fn::If names a declared condition, a resource that has a Condition is only
//     referenced where that condition is known to hold, and every parameter and condition is used.
//
// Usage: node validate-template.mjs [--expect-fail] TEMPLATE...
// Prints "PASS <file>" or "FAIL <file>" followed by indented errors, one line per template.
// With --expect-fail, a template passes when validation finds errors and every one of them contains
// the text of its "# expect-error: <text>" header line (the checker's own tests).
// Exit status: 0 when every template got PASS, 1 otherwise, 2 on a usage or set-up error.

import { readFileSync, existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { parseTemplate, TemplateError } from './lib/cfn-yaml.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const SPEC_DB = join(HERE, 'node_modules', '@aws-cdk', 'aws-service-spec', 'db.json.gz');

// ---------------------------------------------------------------------------------------------
// The specification database

function loadSpec() {
  if (!existsSync(SPEC_DB)) {
    throw new Error(`${relative(process.cwd(), SPEC_DB)} not found: run "npm install" in ${relative(process.cwd(), HERE) || '.'}`);
  }
  const db = JSON.parse(gunzipSync(readFileSync(SPEC_DB)).toString('utf8'));
  const resources = new Map();
  for (const r of db.schema.resource.entities) resources.set(r.cloudFormationType, r);
  const types = new Map();
  for (const t of db.schema.typeDefinition.entities) types.set(t.$id, t);
  if (resources.size < 500) throw new Error(`${SPEC_DB}: unexpected layout (only ${resources.size} resource types)`);
  return { resources, types };
}

// ---------------------------------------------------------------------------------------------
// Constants from the CloudFormation template reference

const TOP_LEVEL = new Set(['AWSTemplateFormatVersion', 'Description', 'Metadata', 'Parameters', 'Rules',
  'Mappings', 'Conditions', 'Transform', 'Resources', 'Outputs']);
const PARAMETER_KEYS = new Set(['Type', 'Default', 'Description', 'AllowedValues', 'AllowedPattern',
  'ConstraintDescription', 'MaxLength', 'MinLength', 'MaxValue', 'MinValue', 'NoEcho']);
const RESOURCE_KEYS = new Set(['Type', 'Properties', 'DependsOn', 'Condition', 'DeletionPolicy',
  'UpdateReplacePolicy', 'Metadata', 'CreationPolicy', 'UpdatePolicy']);
const OUTPUT_KEYS = new Set(['Value', 'Description', 'Export', 'Condition']);
const DELETION_POLICIES = new Set(['Delete', 'Retain', 'RetainExceptOnCreate', 'Snapshot']);
const REPLACE_POLICIES = new Set(['Delete', 'Retain', 'Snapshot']);
const PSEUDO = new Map([
  ['AWS::AccountId', 'string'], ['AWS::NotificationARNs', 'list'], ['AWS::NoValue', 'novalue'],
  ['AWS::Partition', 'string'], ['AWS::Region', 'string'], ['AWS::StackId', 'string'],
  ['AWS::StackName', 'string'], ['AWS::URLSuffix', 'string'],
]);
const SCALAR_PARAMETER_TYPES = new Set(['String', 'Number', 'AWS::EC2::AvailabilityZone::Name',
  'AWS::EC2::Image::Id', 'AWS::EC2::Instance::Id', 'AWS::EC2::KeyPair::KeyName',
  'AWS::EC2::SecurityGroup::GroupName', 'AWS::EC2::SecurityGroup::Id', 'AWS::EC2::Subnet::Id',
  'AWS::EC2::Volume::Id', 'AWS::EC2::VPC::Id', 'AWS::Route53::HostedZone::Id']);
const LIST_PARAMETER_TYPES = new Set(['CommaDelimitedList', 'List<Number>',
  ...[...SCALAR_PARAMETER_TYPES].filter((t) => t.startsWith('AWS::')).map((t) => `List<${t}>`)]);
const CONDITION_FUNCTIONS = new Set(['Fn::Equals', 'Fn::Not', 'Fn::And', 'Fn::Or', 'Condition']);
const RULE_FUNCTIONS = new Set(['Fn::Contains', 'Fn::EachMemberEquals', 'Fn::EachMemberIn', 'Fn::RefAll',
  'Fn::ValueOf', 'Fn::ValueOfAll']);
const LOGICAL_ID = /^[A-Za-z0-9]+$/;

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const intrinsicName = (v) => {
  if (!isObject(v)) return null;
  const keys = Object.keys(v);
  if (keys.length !== 1) return null;
  const k = keys[0];
  return k === 'Ref' || k === 'Condition' || k.startsWith('Fn::') ? k : null;
};

function describeType(spec, t) {
  switch (t.type) {
    case 'array': return `List of ${describeType(spec, t.element)}`;
    case 'map': return `Map of ${describeType(spec, t.element)}`;
    case 'ref': return spec.types.get(t.reference.$ref)?.name ?? 'structure';
    case 'union': return t.types.map((u) => describeType(spec, u)).join(' or ');
    case 'tag': return 'Tag';
    case 'json': return 'JSON';
    default: return t.type;
  }
}

// ---------------------------------------------------------------------------------------------
// The validator for one template

class Validator {
  constructor(spec, template, lines, file) {
    this.spec = spec;
    this.t = template;
    this.lines = lines;
    this.file = file;
    this.errors = [];
    this.usedParameters = new Set();
    this.usedConditions = new Set();
    this.parameters = isObject(template?.Parameters) ? template.Parameters : {};
    this.conditions = isObject(template?.Conditions) ? template.Conditions : {};
    this.resources = isObject(template?.Resources) ? template.Resources : {};
    this.mappings = isObject(template?.Mappings) ? template.Mappings : {};
  }

  error(path, message) {
    // Report the line of the nearest enclosing path that has one.
    let p = path;
    while (p && !this.lines.has(p)) p = p.slice(0, p.lastIndexOf('/'));
    const line = this.lines.get(p);
    const where = line ? `${this.file}:${line}` : this.file;
    this.errors.push(`${where}: ${path || '/'}: ${message}`);
  }

  run() {
    const t = this.t;
    if (!isObject(t)) {
      this.error('', 'a template must be a mapping');
      return this.errors;
    }
    for (const key of Object.keys(t)) if (!TOP_LEVEL.has(key)) this.error(`/${key}`, `unknown top-level section ${key}`);
    if (t.AWSTemplateFormatVersion !== undefined && t.AWSTemplateFormatVersion !== '2010-09-09') {
      this.error('/AWSTemplateFormatVersion', 'must be "2010-09-09" (quote it so YAML keeps it a string)');
    }
    if (t.Description !== undefined && typeof t.Description !== 'string') this.error('/Description', 'must be a string');
    if (!isObject(t.Resources) || Object.keys(t.Resources).length === 0) {
      this.error('/Resources', 'a template needs a Resources section with at least one resource');
    }
    for (const section of ['Parameters', 'Conditions', 'Mappings', 'Outputs', 'Rules']) {
      if (t[section] !== undefined && !isObject(t[section])) this.error(`/${section}`, 'must be a mapping');
    }
    const ids = new Map();
    for (const section of ['Parameters', 'Resources']) {
      for (const id of Object.keys(isObject(t[section]) ? t[section] : {})) {
        if (!LOGICAL_ID.test(id)) this.error(`/${section}/${id}`, 'logical IDs must be alphanumeric');
        if (ids.has(id)) this.error(`/${section}/${id}`, `logical ID ${id} is also used in ${ids.get(id)}`);
        ids.set(id, section);
      }
    }
    this.checkParameters();
    this.checkConditions();
    this.checkRules();
    this.checkResources();
    this.checkOutputs();
    this.checkMetadata();
    for (const name of Object.keys(this.parameters)) {
      if (!this.usedParameters.has(name)) this.error(`/Parameters/${name}`, `parameter ${name} is never used`);
    }
    for (const name of Object.keys(this.conditions)) {
      if (!this.usedConditions.has(name)) this.error(`/Conditions/${name}`, `condition ${name} is never used`);
    }
    return this.errors;
  }

  // --- Parameters ------------------------------------------------------------------------------

  checkParameters() {
    for (const [name, p] of Object.entries(this.parameters)) {
      const path = `/Parameters/${name}`;
      if (!isObject(p)) { this.error(path, 'must be a mapping'); continue; }
      for (const key of Object.keys(p)) if (!PARAMETER_KEYS.has(key)) this.error(`${path}/${key}`, `unknown parameter attribute ${key}`);
      const type = p.Type;
      const ssm = typeof type === 'string' && /^AWS::SSM::Parameter::(Name|Value<.+>)$/.test(type);
      if (!SCALAR_PARAMETER_TYPES.has(type) && !LIST_PARAMETER_TYPES.has(type) && !ssm) {
        this.error(`${path}/Type`, `unknown parameter type ${JSON.stringify(type)}`);
        continue;
      }
      if (p.NoEcho !== undefined && typeof p.NoEcho !== 'boolean' && p.NoEcho !== 'true' && p.NoEcho !== 'false') {
        this.error(`${path}/NoEcho`, 'must be true or false');
      }
      for (const key of ['MinValue', 'MaxValue']) {
        if (p[key] !== undefined && type !== 'Number') this.error(`${path}/${key}`, `${key} applies to Number parameters only`);
        if (p[key] !== undefined && !Number.isFinite(Number(p[key]))) this.error(`${path}/${key}`, 'must be a number');
      }
      for (const key of ['MinLength', 'MaxLength']) {
        if (p[key] !== undefined && type !== 'String') this.error(`${path}/${key}`, `${key} applies to String parameters only`);
        if (p[key] !== undefined && !Number.isInteger(Number(p[key]))) this.error(`${path}/${key}`, 'must be an integer');
      }
      let pattern = null;
      if (p.AllowedPattern !== undefined) {
        try { pattern = new RegExp(`^(?:${p.AllowedPattern})$`, 'u'); } catch (e) {
          this.error(`${path}/AllowedPattern`, `invalid regular expression: ${e.message}`);
        }
      }
      if (p.AllowedValues !== undefined && (!Array.isArray(p.AllowedValues) || p.AllowedValues.length === 0)) {
        this.error(`${path}/AllowedValues`, 'must be a non-empty list');
      }
      if (p.Default === undefined) continue;
      const isList = LIST_PARAMETER_TYPES.has(type);
      const values = isList ? String(p.Default).split(',').map((s) => s.trim()) : [String(p.Default)];
      if (typeof p.Default === 'object' && p.Default !== null) {
        this.error(`${path}/Default`, 'must be a scalar (a list default is written "a,b,c")');
        continue;
      }
      for (const v of isList && String(p.Default) === '' ? [] : values) {
        if (Array.isArray(p.AllowedValues) && !p.AllowedValues.map(String).includes(v)) {
          this.error(`${path}/Default`, `default ${JSON.stringify(v)} is not among AllowedValues`);
        }
        if ((type === 'Number' || type === 'List<Number>') && !Number.isFinite(Number(v))) {
          this.error(`${path}/Default`, `default ${JSON.stringify(v)} is not a number`);
        }
      }
      if (type === 'Number') {
        const n = Number(p.Default);
        if (p.MinValue !== undefined && n < Number(p.MinValue)) this.error(`${path}/Default`, `default ${n} is below MinValue ${p.MinValue}`);
        if (p.MaxValue !== undefined && n > Number(p.MaxValue)) this.error(`${path}/Default`, `default ${n} is above MaxValue ${p.MaxValue}`);
      }
      if (type === 'String') {
        const s = String(p.Default);
        if (p.MinLength !== undefined && s.length < Number(p.MinLength)) this.error(`${path}/Default`, `default is shorter than MinLength ${p.MinLength}`);
        if (p.MaxLength !== undefined && s.length > Number(p.MaxLength)) this.error(`${path}/Default`, `default is longer than MaxLength ${p.MaxLength}`);
        if (pattern && !pattern.test(s)) this.error(`${path}/Default`, `default ${JSON.stringify(s)} does not match AllowedPattern`);
      }
    }
  }

  parameterKind(name) {
    const type = this.parameters[name]?.Type;
    if (LIST_PARAMETER_TYPES.has(type) || /^AWS::SSM::Parameter::Value<List<.+>>$/.test(type ?? '')) return 'list';
    if (/^AWS::SSM::Parameter::Value<CommaDelimitedList>$/.test(type ?? '')) return 'list';
    return 'string';
  }

  // --- Conditions and Rules ----------------------------------------------------------------------

  checkConditions() {
    for (const [name, body] of Object.entries(this.conditions)) {
      this.checkConditionExpr(body, `/Conditions/${name}`, name, true);
    }
    // A condition may not refer to itself, directly or through others.
    const refs = (body, out = new Set()) => {
      if (Array.isArray(body)) body.forEach((b) => refs(b, out));
      else if (isObject(body)) for (const [k, v] of Object.entries(body)) {
        if (k === 'Condition' && typeof v === 'string') out.add(v); else refs(v, out);
      }
      return out;
    };
    const visiting = new Set();
    const done = new Set();
    const visit = (name, path) => {
      if (done.has(name) || !(name in this.conditions)) return;
      if (visiting.has(name)) { this.error(`/Conditions/${name}`, `condition cycle: ${[...path, name].join(' -> ')}`); return; }
      visiting.add(name);
      for (const r of refs(this.conditions[name])) visit(r, [...path, name]);
      visiting.delete(name);
      done.add(name);
    };
    for (const name of Object.keys(this.conditions)) visit(name, []);
  }

  // A condition expression: Fn::Equals / Fn::Not / Fn::And / Fn::Or / {Condition: name}.
  checkConditionExpr(expr, path, owner, top) {
    const fn = intrinsicName(expr);
    if (!fn || !CONDITION_FUNCTIONS.has(fn)) {
      this.error(path, top ? 'a condition must be Fn::Equals, Fn::Not, Fn::And, Fn::Or or Condition'
        : 'expected a condition function');
      return;
    }
    const arg = expr[fn];
    const at = `${path}/${fn}`;
    if (fn === 'Condition') {
      if (typeof arg !== 'string' || !(arg in this.conditions)) this.error(at, `unknown condition ${JSON.stringify(arg)}`);
      else this.usedConditions.add(arg);
      return;
    }
    if (fn === 'Fn::Equals') {
      if (!Array.isArray(arg) || arg.length !== 2) { this.error(at, 'Fn::Equals takes a list of two values'); return; }
      arg.forEach((v, i) => this.checkValueExpr(v, `${at}/${i}`, { inCondition: true }));
      return;
    }
    const min = fn === 'Fn::Not' ? 1 : 2;
    const max = fn === 'Fn::Not' ? 1 : 10;
    if (!Array.isArray(arg) || arg.length < min || arg.length > max) {
      this.error(at, fn === 'Fn::Not' ? 'Fn::Not takes a list of one condition' : `${fn} takes a list of 2 to 10 conditions`);
      return;
    }
    arg.forEach((c, i) => this.checkConditionExpr(c, `${at}/${i}`, owner, false));
  }

  checkRules() {
    const rules = this.t.Rules;
    if (!isObject(rules)) return;
    for (const [name, rule] of Object.entries(rules)) {
      const path = `/Rules/${name}`;
      if (!isObject(rule)) { this.error(path, 'must be a mapping'); continue; }
      for (const key of Object.keys(rule)) {
        if (key !== 'RuleCondition' && key !== 'Assertions') this.error(`${path}/${key}`, `unknown rule attribute ${key}`);
      }
      if (!Array.isArray(rule.Assertions) || rule.Assertions.length === 0) {
        this.error(`${path}/Assertions`, 'a rule needs a non-empty Assertions list');
        continue;
      }
      if (rule.RuleCondition !== undefined) this.checkValueExpr(rule.RuleCondition, `${path}/RuleCondition`, { inRule: true });
      rule.Assertions.forEach((a, i) => {
        const at = `${path}/Assertions/${i}`;
        if (!isObject(a) || a.Assert === undefined) { this.error(at, 'an assertion needs Assert'); return; }
        for (const key of Object.keys(a)) if (key !== 'Assert' && key !== 'AssertDescription') this.error(`${at}/${key}`, `unknown assertion attribute ${key}`);
        this.checkValueExpr(a.Assert, `${at}/Assert`, { inRule: true });
      });
    }
  }

  // --- Intrinsic functions -----------------------------------------------------------------------
  //
  // checkValueExpr walks any value, validates every intrinsic function in it, and returns what the
  // value produces: 'string', 'list', 'novalue', 'any' (unknown) or 'literal' (plain YAML data).
  // ctx.asserted is the set of condition names known to hold at this point.

  checkValueExpr(value, path, ctx = {}) {
    const fn = intrinsicName(value);
    if (!fn) {
      if (Array.isArray(value)) value.forEach((v, i) => this.checkValueExpr(v, `${path}/${i}`, ctx));
      else if (isObject(value)) for (const [k, v] of Object.entries(value)) this.checkValueExpr(v, `${path}/${k}`, ctx);
      return 'literal';
    }
    const arg = value[fn];
    const at = `${path}/${fn}`;
    const restricted = ctx.inCondition || ctx.inRule;
    switch (fn) {
      case 'Ref': return this.checkRef(arg, at, ctx);
      case 'Fn::GetAtt': return this.checkGetAtt(arg, at, ctx);
      case 'Fn::Sub': return this.checkSub(arg, at, ctx);
      case 'Fn::If': {
        if (restricted) { this.error(at, 'Fn::If is not allowed here'); return 'any'; }
        if (!Array.isArray(arg) || arg.length !== 3 || typeof arg[0] !== 'string') {
          this.error(at, 'Fn::If takes [condition name, value if true, value if false]');
          return 'any';
        }
        if (!(arg[0] in this.conditions)) this.error(`${at}/0`, `unknown condition ${arg[0]}`);
        else this.usedConditions.add(arg[0]);
        const asserted = this.assume(ctx.asserted, arg[0]);
        const a = this.checkValueExpr(arg[1], `${at}/1`, { ...ctx, asserted });
        const b = this.checkValueExpr(arg[2], `${at}/2`, ctx);
        return a === b ? a : 'any';
      }
      case 'Fn::Join': {
        if (!Array.isArray(arg) || arg.length !== 2 || typeof arg[0] !== 'string') {
          this.error(at, 'Fn::Join takes [delimiter, list of values]');
          return 'string';
        }
        const kind = this.checkValueExpr(arg[1], `${at}/1`, ctx);
        if (!Array.isArray(arg[1]) && kind !== 'list' && kind !== 'any') this.error(`${at}/1`, 'Fn::Join needs a list to join');
        return 'string';
      }
      case 'Fn::Select': {
        if (!Array.isArray(arg) || arg.length !== 2) { this.error(at, 'Fn::Select takes [index, list]'); return 'any'; }
        this.checkValueExpr(arg[0], `${at}/0`, ctx);
        const kind = this.checkValueExpr(arg[1], `${at}/1`, ctx);
        if (!Array.isArray(arg[1]) && kind !== 'list' && kind !== 'any') this.error(`${at}/1`, 'Fn::Select needs a list');
        if (Array.isArray(arg[1]) && Number.isInteger(Number(arg[0])) && Number(arg[0]) >= arg[1].length) {
          this.error(`${at}/0`, 'index is beyond the end of the list');
        }
        return 'any';
      }
      case 'Fn::Split': {
        if (!Array.isArray(arg) || arg.length !== 2 || typeof arg[0] !== 'string') {
          this.error(at, 'Fn::Split takes [delimiter, string]');
          return 'list';
        }
        const kind = this.checkValueExpr(arg[1], `${at}/1`, ctx);
        if (kind === 'list') this.error(`${at}/1`, 'Fn::Split needs a string, not a list');
        return 'list';
      }
      case 'Fn::FindInMap': {
        if (!Array.isArray(arg) || arg.length < 3) { this.error(at, 'Fn::FindInMap takes [map, top-level key, second-level key]'); return 'any'; }
        if (typeof arg[0] === 'string' && !(arg[0] in this.mappings)) this.error(`${at}/0`, `unknown mapping ${arg[0]}`);
        arg.forEach((v, i) => this.checkValueExpr(v, `${at}/${i}`, ctx));
        return 'any';
      }
      case 'Fn::Base64':
      case 'Fn::ImportValue':
      case 'Fn::ToJsonString':
        this.checkValueExpr(arg, at, ctx);
        return 'string';
      case 'Fn::GetAZs':
      case 'Fn::Cidr':
        this.checkValueExpr(arg, at, ctx);
        return 'list';
      case 'Fn::Length':
        this.checkValueExpr(arg, at, ctx);
        return 'string';
      case 'Fn::Equals':
      case 'Fn::Not':
      case 'Fn::And':
      case 'Fn::Or':
      case 'Condition':
        if (ctx.inRule) {
          if (fn === 'Condition') { this.error(at, 'conditions cannot be referenced in Rules'); return 'any'; }
          const list = Array.isArray(arg) ? arg : [arg];
          list.forEach((v, i) => this.checkValueExpr(v, `${at}/${i}`, ctx));
          return 'any';
        }
        this.error(at, `${fn} is only allowed in the Conditions section (use Fn::If here)`);
        (Array.isArray(arg) ? arg : [arg]).forEach((v, i) => this.checkValueExpr(v, `${at}/${i}`, { ...ctx, inCondition: true }));
        return 'any';
      default:
        if (RULE_FUNCTIONS.has(fn)) {
          if (!ctx.inRule) this.error(at, `${fn} is only allowed in the Rules section`);
          this.checkValueExpr(arg, at, ctx);
          return 'any';
        }
        this.error(at, `unknown intrinsic function ${fn}`);
        return 'any';
    }
  }

  checkRef(name, at, ctx) {
    if (typeof name !== 'string') { this.error(at, 'Ref takes a logical ID or pseudo parameter name'); return 'any'; }
    if (PSEUDO.has(name)) {
      if (name === 'AWS::NoValue' && (ctx.inCondition || ctx.inRule)) this.error(at, 'AWS::NoValue is not allowed here');
      return PSEUDO.get(name);
    }
    if (name in this.parameters) {
      this.usedParameters.add(name);
      return this.parameterKind(name);
    }
    if (name in this.resources) {
      if (ctx.inCondition || ctx.inRule) { this.error(at, `only parameters can be referenced here, not resource ${name}`); return 'any'; }
      this.checkConditional(name, at, ctx);
      return 'string';
    }
    this.error(at, `Ref to unknown parameter or resource ${name}`);
    return 'any';
  }

  // The conditions known to hold once `name` holds: itself, and what its Fn::And requires.
  assume(asserted, name) {
    const out = new Set(asserted ?? []);
    const add = (n) => {
      if (out.has(n)) return;
      out.add(n);
      const body = this.conditions[n];
      if (isObject(body) && Array.isArray(body['Fn::And'])) {
        for (const part of body['Fn::And']) if (isObject(part) && typeof part.Condition === 'string') add(part.Condition);
      }
      if (isObject(body) && typeof body.Condition === 'string') add(body.Condition);
    };
    add(name);
    return out;
  }

  checkConditional(resource, at, ctx) {
    const cond = this.resources[resource]?.Condition;
    if (typeof cond === 'string' && !(ctx.asserted && ctx.asserted.has(cond))) {
      this.error(at, `${resource} exists only when condition ${cond} holds; reference it inside Fn::If [${cond}, ...] or from something with Condition ${cond}`);
    }
  }

  attributeKind(resource, attribute, at) {
    const type = this.resources[resource]?.Type;
    if (typeof type !== 'string' || !type.startsWith('AWS::') || type === 'AWS::CloudFormation::CustomResource') return 'any';
    const spec = this.spec.resources.get(type);
    if (!spec) return 'any';
    const attr = spec.attributes?.[attribute];
    if (!attr) {
      const known = Object.keys(spec.attributes ?? {});
      this.error(at, `${type} has no attribute ${attribute}${known.length ? ` (it has: ${known.join(', ')})` : ''}`);
      return 'any';
    }
    return attr.type?.type === 'array' ? 'list' : attr.type?.type === 'string' ? 'string' : 'any';
  }

  checkGetAtt(arg, at, ctx) {
    if (ctx.inCondition || ctx.inRule) { this.error(at, 'Fn::GetAtt is not allowed here'); return 'any'; }
    if (!Array.isArray(arg) || arg.length !== 2 || typeof arg[0] !== 'string') {
      this.error(at, 'Fn::GetAtt takes [logical ID, attribute name] or "LogicalId.Attribute"');
      return 'any';
    }
    const [resource, attribute] = arg;
    if (!(resource in this.resources)) { this.error(at, `Fn::GetAtt of unknown resource ${resource}`); return 'any'; }
    this.checkConditional(resource, at, ctx);
    if (typeof attribute !== 'string') { this.checkValueExpr(attribute, `${at}/1`, ctx); return 'any'; }
    return this.attributeKind(resource, attribute, at);
  }

  checkSub(arg, at, ctx) {
    let text = arg;
    let locals = {};
    if (Array.isArray(arg)) {
      if (arg.length !== 2 || typeof arg[0] !== 'string' || !isObject(arg[1])) {
        this.error(at, 'Fn::Sub takes a string or [string, map of variables]');
        return 'string';
      }
      [text, locals] = arg;
      for (const [k, v] of Object.entries(locals)) this.checkValueExpr(v, `${at}/1/${k}`, ctx);
    } else if (typeof arg !== 'string') {
      this.error(at, 'Fn::Sub takes a string or [string, map of variables]');
      return 'string';
    }
    for (const m of text.matchAll(/\$\{([^}]*)\}/g)) {
      const name = m[1].trim();
      if (name.startsWith('!')) continue; // ${!Literal} is written out as ${Literal}
      if (name in locals) continue;
      if (PSEUDO.has(name)) {
        if (name === 'AWS::NoValue' || name === 'AWS::NotificationARNs') this.error(at, `\${${name}} cannot be used in Fn::Sub`);
        continue;
      }
      if (name in this.parameters) {
        this.usedParameters.add(name);
        if (this.parameterKind(name) === 'list') this.error(at, `\${${name}} is a list parameter; Fn::Sub needs a string`);
        continue;
      }
      if (name in this.resources) { this.checkConditional(name, at, ctx); continue; }
      const dot = name.indexOf('.');
      if (dot > 0 && name.slice(0, dot) in this.resources) {
        const resource = name.slice(0, dot);
        this.checkConditional(resource, at, ctx);
        this.attributeKind(resource, name.slice(dot + 1), at);
        continue;
      }
      this.error(at, `Fn::Sub variable \${${name}} is not a parameter, resource, attribute or local variable`);
    }
    return 'string';
  }

  // --- Resources ---------------------------------------------------------------------------------

  checkResources() {
    for (const [id, res] of Object.entries(this.resources)) {
      const path = `/Resources/${id}`;
      if (!isObject(res)) { this.error(path, 'must be a mapping'); continue; }
      for (const key of Object.keys(res)) if (!RESOURCE_KEYS.has(key)) this.error(`${path}/${key}`, `unknown resource attribute ${key}`);
      const asserted = new Set();
      if (res.Condition !== undefined) {
        if (typeof res.Condition !== 'string' || !(res.Condition in this.conditions)) {
          this.error(`${path}/Condition`, `unknown condition ${JSON.stringify(res.Condition)}`);
        } else {
          this.usedConditions.add(res.Condition);
          for (const c of this.assume(null, res.Condition)) asserted.add(c);
        }
      }
      const ctx = { asserted };
      if (res.DependsOn !== undefined) {
        const deps = Array.isArray(res.DependsOn) ? res.DependsOn : [res.DependsOn];
        deps.forEach((d, i) => {
          const at = Array.isArray(res.DependsOn) ? `${path}/DependsOn/${i}` : `${path}/DependsOn`;
          if (typeof d !== 'string' || !(d in this.resources)) this.error(at, `DependsOn names unknown resource ${JSON.stringify(d)}`);
          else if (d === id) this.error(at, 'a resource cannot depend on itself');
          else this.checkConditional(d, at, ctx);
        });
      }
      if (res.DeletionPolicy !== undefined && !DELETION_POLICIES.has(res.DeletionPolicy)) {
        this.error(`${path}/DeletionPolicy`, `unknown DeletionPolicy ${JSON.stringify(res.DeletionPolicy)}`);
      }
      if (res.UpdateReplacePolicy !== undefined && !REPLACE_POLICIES.has(res.UpdateReplacePolicy)) {
        this.error(`${path}/UpdateReplacePolicy`, `unknown UpdateReplacePolicy ${JSON.stringify(res.UpdateReplacePolicy)}`);
      }
      if (res.Metadata !== undefined) this.checkValueExpr(res.Metadata, `${path}/Metadata`, ctx);
      const type = res.Type;
      if (typeof type !== 'string') { this.error(`${path}/Type`, 'every resource needs a Type'); continue; }
      if (type.startsWith('Custom::') || type === 'AWS::CloudFormation::CustomResource') {
        if (res.Properties !== undefined) this.checkValueExpr(res.Properties, `${path}/Properties`, ctx);
        continue;
      }
      const spec = this.spec.resources.get(type);
      if (!spec) { this.error(`${path}/Type`, `unknown resource type ${type}`); continue; }
      if (res.Properties !== undefined && !isObject(res.Properties)) {
        this.error(`${path}/Properties`, 'Properties must be a mapping');
        continue;
      }
      this.checkStruct(res.Properties ?? {}, spec.properties ?? {}, `${path}/Properties`, ctx, type);
    }
  }

  // A value against a property type from the specification.
  checkValue(value, type, path, ctx) {
    const fn = intrinsicName(value);
    if (fn === 'Fn::If') {
      const arg = value[fn];
      if (!Array.isArray(arg) || arg.length !== 3 || typeof arg[0] !== 'string') {
        this.error(`${path}/Fn::If`, 'Fn::If takes [condition name, value if true, value if false]');
        return;
      }
      if (!(arg[0] in this.conditions)) this.error(`${path}/Fn::If/0`, `unknown condition ${arg[0]}`);
      else this.usedConditions.add(arg[0]);
      const asserted = this.assume(ctx.asserted, arg[0]);
      this.checkValue(arg[1], type, `${path}/Fn::If/1`, { ...ctx, asserted });
      this.checkValue(arg[2], type, `${path}/Fn::If/2`, ctx);
      return;
    }
    if (fn) {
      const kind = this.checkValueExpr(value, path, ctx);
      if (kind === 'novalue') {
        if (ctx.required) this.error(path, 'a required property cannot be AWS::NoValue');
        return;
      }
      this.checkProduced(kind, type, path, fn);
      return;
    }
    switch (type.type) {
      case 'string':
      case 'date-time':
        if (value === null || typeof value === 'object') this.error(path, `expected ${type.type}, got ${Array.isArray(value) ? 'a list' : value === null ? 'null' : 'a mapping'}`);
        return;
      case 'integer':
        if (!(Number.isInteger(value) || (typeof value === 'string' && /^-?\d+$/.test(value)))) this.error(path, `expected an integer, got ${JSON.stringify(value)}`);
        return;
      case 'number':
        if (!((typeof value === 'number' && Number.isFinite(value)) || (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))))) {
          this.error(path, `expected a number, got ${JSON.stringify(value)}`);
        }
        return;
      case 'boolean':
        if (!(typeof value === 'boolean' || value === 'true' || value === 'false')) this.error(path, `expected true or false, got ${JSON.stringify(value)}`);
        return;
      case 'json':
        this.checkValueExpr(value, path, ctx);
        return;
      case 'array':
        if (!Array.isArray(value)) { this.error(path, `expected a list (${describeType(this.spec, type)}), got ${JSON.stringify(value)}`); return; }
        value.forEach((v, i) => this.checkValue(v, type.element, `${path}/${i}`, { ...ctx, required: false }));
        return;
      case 'map':
        if (!isObject(value)) { this.error(path, `expected a mapping (${describeType(this.spec, type)})`); return; }
        for (const [k, v] of Object.entries(value)) this.checkValue(v, type.element, `${path}/${k}`, { ...ctx, required: false });
        return;
      case 'tag':
        if (!isObject(value)) { this.error(path, 'expected a tag {Key, Value}'); return; }
        this.checkStruct(value, {
          Key: { type: { type: 'string' }, required: true },
          Value: { type: { type: 'string' }, required: true },
        }, path, ctx, 'Tag');
        return;
      case 'ref': {
        const def = this.spec.types.get(type.reference.$ref);
        if (!def) return;
        if (!isObject(value)) { this.error(path, `expected a ${def.name} structure, got ${JSON.stringify(value)}`); return; }
        this.checkStruct(value, def.properties ?? {}, path, ctx, def.name);
        return;
      }
      case 'union': {
        let best = null;
        for (const alt of type.types) {
          const saved = this.errors;
          this.errors = [];
          this.checkValue(value, alt, path, ctx);
          const found = this.errors;
          this.errors = saved;
          if (found.length === 0) return;
          // Prefer the alternative the value has the shape of: its errors say more.
          const wrongShape = found.length === 1 && found[0].includes(`${path}: expected`);
          const score = found.length + (wrongShape ? 1000 : 0);
          if (!best || score < best.score) best = { score, found };
        }
        if (best.score < 1000) { this.errors.push(...best.found); return; }
        this.error(path, `expected ${describeType(this.spec, type)}`);
        return;
      }
      default:
        return;
    }
  }

  // What an intrinsic function produces against what the property expects.
  checkProduced(kind, type, path, fn) {
    if (kind === 'any' || type.type === 'json' || type.type === 'union') return;
    const wantsList = type.type === 'array';
    const wantsStruct = type.type === 'ref' || type.type === 'map' || type.type === 'tag';
    if (wantsList && kind !== 'list') this.error(path, `expected a list (${describeType(this.spec, type)}), but ${fn} gives a single value`);
    else if (!wantsList && kind === 'list') this.error(path, `expected ${describeType(this.spec, type)}, but ${fn} gives a list`);
    else if (wantsStruct && kind === 'string') this.error(path, `expected ${describeType(this.spec, type)}, but ${fn} gives a string`);
  }

  checkStruct(value, properties, path, ctx, typeName) {
    for (const [name, v] of Object.entries(value)) {
      const prop = properties[name];
      if (!prop) {
        const close = Object.keys(properties).find((p) => p.toLowerCase() === name.toLowerCase());
        this.error(`${path}/${name}`, `${typeName} has no property ${name}${close ? ` (did you mean ${close}?)` : ''}`);
        continue;
      }
      this.checkValue(v, prop.type, `${path}/${name}`, { ...ctx, required: Boolean(prop.required) });
    }
    for (const [name, prop] of Object.entries(properties)) {
      if (prop.required && !(name in value)) this.error(path, `${typeName} requires property ${name}`);
    }
  }

  // --- Outputs and Metadata ----------------------------------------------------------------------

  checkOutputs() {
    const outputs = this.t.Outputs;
    if (!isObject(outputs)) return;
    for (const [name, out] of Object.entries(outputs)) {
      const path = `/Outputs/${name}`;
      if (!LOGICAL_ID.test(name)) this.error(path, 'output names must be alphanumeric');
      if (!isObject(out)) { this.error(path, 'must be a mapping'); continue; }
      for (const key of Object.keys(out)) if (!OUTPUT_KEYS.has(key)) this.error(`${path}/${key}`, `unknown output attribute ${key}`);
      const asserted = new Set();
      if (out.Condition !== undefined) {
        if (typeof out.Condition !== 'string' || !(out.Condition in this.conditions)) {
          this.error(`${path}/Condition`, `unknown condition ${JSON.stringify(out.Condition)}`);
        } else {
          this.usedConditions.add(out.Condition);
          for (const c of this.assume(null, out.Condition)) asserted.add(c);
        }
      }
      if (out.Value === undefined) { this.error(path, 'an output needs a Value'); continue; }
      const kind = this.checkValueExpr(out.Value, `${path}/Value`, { asserted });
      if (kind === 'list') this.error(`${path}/Value`, 'an output value must be a string (join lists with Fn::Join)');
      if (isObject(out.Value) && !intrinsicName(out.Value)) this.error(`${path}/Value`, 'an output value must be a string');
      if (out.Export !== undefined) {
        if (!isObject(out.Export) || out.Export.Name === undefined) this.error(`${path}/Export`, 'Export needs a Name');
        else this.checkValueExpr(out.Export.Name, `${path}/Export/Name`, { asserted });
      }
    }
  }

  checkMetadata() {
    const iface = this.t.Metadata?.['AWS::CloudFormation::Interface'];
    if (!isObject(iface)) return;
    const path = '/Metadata/AWS::CloudFormation::Interface';
    const seen = new Set();
    (Array.isArray(iface.ParameterGroups) ? iface.ParameterGroups : []).forEach((g, i) => {
      (Array.isArray(g?.Parameters) ? g.Parameters : []).forEach((p, j) => {
        if (!(p in this.parameters)) this.error(`${path}/ParameterGroups/${i}/Parameters/${j}`, `unknown parameter ${p}`);
        if (seen.has(p)) this.error(`${path}/ParameterGroups/${i}/Parameters/${j}`, `parameter ${p} is in more than one group`);
        seen.add(p);
      });
    });
    for (const p of Object.keys(isObject(iface.ParameterLabels) ? iface.ParameterLabels : {})) {
      if (!(p in this.parameters)) this.error(`${path}/ParameterLabels/${p}`, `unknown parameter ${p}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------

export function validateText(spec, text, file) {
  let parsed;
  try {
    parsed = parseTemplate(text, file);
  } catch (e) {
    if (e instanceof TemplateError) return e.message.split('\n');
    throw e;
  }
  return new Validator(spec, parsed.template, parsed.lines, file).run();
}

function main(argv) {
  const expectFail = argv.includes('--expect-fail');
  const files = argv.filter((a) => a !== '--expect-fail');
  if (files.length === 0 || files.some((f) => f.startsWith('-'))) {
    console.error('usage: node validate-template.mjs [--expect-fail] TEMPLATE...');
    return 2;
  }
  let spec;
  try {
    spec = loadSpec();
  } catch (e) {
    console.error(`validate-template: ${e.message}`);
    return 2;
  }
  let failed = 0;
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const errors = validateText(spec, text, file);
    if (!expectFail) {
      console.log(`${errors.length === 0 ? 'PASS' : 'FAIL'} spec: ${file}`);
      errors.forEach((e) => console.log(`    ${e}`));
      if (errors.length) failed++;
      continue;
    }
    const expected = text.match(/^#\s*expect-error:\s*(.+?)\s*$/m)?.[1];
    const label = `spec rejects ${file}`;
    if (!expected) {
      console.log(`FAIL ${label}`);
      console.log('    the file has no "# expect-error: <text>" line');
      failed++;
    } else if (errors.length > 0 && errors.every((e) => e.includes(expected))) {
      console.log(`PASS ${label} (${expected})`);
    } else {
      console.log(`FAIL ${label}`);
      console.log(`    expected only errors containing ${JSON.stringify(expected)}, got ${errors.length ? 'these' : 'none'}:`);
      errors.forEach((e) => console.log(`    ${e}`));
      failed++;
    }
  }
  return failed === 0 ? 0 : 1;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = main(process.argv.slice(2));
}
