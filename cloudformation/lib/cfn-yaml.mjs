// Loads a CloudFormation template written in YAML (or JSON) into plain JavaScript values.
//
// Short-form intrinsic tags (!Ref, !Sub, !GetAtt, ...) become their long forms ({"Ref": ...},
// {"Fn::Sub": ...}, ...), exactly as CloudFormation reads them. Every value's source line is kept
// in a map from a JSON-pointer-like path ("/Resources/Fn/Properties/Timeout") to a line number, so
// that the checks can say where a problem is.

import { readFileSync } from 'node:fs';
import { parseDocument, LineCounter, isMap, isSeq, isScalar, isAlias, isPair } from 'yaml';

// Short tag -> long form. "GetAtt" is special: its scalar form "Res.Attr" becomes ["Res", "Attr"].
const FUNCTIONS = {
  '!Ref': 'Ref',
  '!Condition': 'Condition',
  '!Sub': 'Fn::Sub',
  '!GetAtt': 'Fn::GetAtt',
  '!If': 'Fn::If',
  '!Equals': 'Fn::Equals',
  '!Not': 'Fn::Not',
  '!And': 'Fn::And',
  '!Or': 'Fn::Or',
  '!Select': 'Fn::Select',
  '!Split': 'Fn::Split',
  '!Join': 'Fn::Join',
  '!FindInMap': 'Fn::FindInMap',
  '!Base64': 'Fn::Base64',
  '!GetAZs': 'Fn::GetAZs',
  '!ImportValue': 'Fn::ImportValue',
  '!Cidr': 'Fn::Cidr',
  '!Length': 'Fn::Length',
  '!ToJsonString': 'Fn::ToJsonString',
  // Functions that only exist inside the template's Rules section.
  '!Contains': 'Fn::Contains',
  '!EachMemberEquals': 'Fn::EachMemberEquals',
  '!EachMemberIn': 'Fn::EachMemberIn',
  '!RefAll': 'Fn::RefAll',
  '!ValueOf': 'Fn::ValueOf',
  '!ValueOfAll': 'Fn::ValueOfAll',
};

// The yaml library warns about tags it does not know; declaring each one for every node kind keeps
// the node (and its tag) as it is, and the conversion below does the rest.
const CUSTOM_TAGS = Object.keys(FUNCTIONS).flatMap((tag) => [
  { tag, resolve: (value) => value },
  { tag, collection: 'seq', resolve: (value) => value },
  { tag, collection: 'map', resolve: (value) => value },
]);

export class TemplateError extends Error {}

/**
 * Parses template text. Returns { template, lines } where lines maps paths to 1-based line numbers.
 * Throws TemplateError for YAML errors, duplicate keys and unknown tags.
 */
export function parseTemplate(text, name = 'template') {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter,
    customTags: CUSTOM_TAGS,
    uniqueKeys: true,
    merge: false,
    prettyErrors: false,
  });
  const problems = [...doc.errors, ...doc.warnings];
  if (problems.length > 0) {
    const where = (e) => (Array.isArray(e.pos) ? `:${lineCounter.linePos(e.pos[0]).line}` : '');
    throw new TemplateError(problems.map((e) => `${name}${where(e)}: ${e.message.split('\n')[0]}`).join('\n'));
  }
  const lines = new Map();
  const lineOf = (node) => (node && node.range ? lineCounter.linePos(node.range[0]).line : undefined);

  function convert(node, path) {
    if (node === null || node === undefined) return null;
    if (isAlias(node)) {
      throw new TemplateError(`${name}:${lineOf(node)}: YAML aliases are not supported by CloudFormation`);
    }
    const line = lineOf(node);
    if (line !== undefined) lines.set(path, line);
    let value;
    if (isMap(node)) {
      value = {};
      for (const pair of node.items) {
        if (!isPair(pair) || !isScalar(pair.key)) {
          throw new TemplateError(`${name}:${lineOf(pair.key) ?? line}: mapping keys must be plain scalars`);
        }
        const key = String(pair.key.value);
        value[key] = convert(pair.value, `${path}/${key}`);
        if (!lines.has(`${path}/${key}`)) lines.set(`${path}/${key}`, lineOf(pair.key));
      }
    } else if (isSeq(node)) {
      value = node.items.map((item, i) => convert(item, `${path}/${i}`));
    } else if (isScalar(node)) {
      value = node.value;
    } else {
      throw new TemplateError(`${name}:${line}: unexpected YAML node`);
    }
    if (node.tag && node.tag.startsWith('!')) {
      const fn = FUNCTIONS[node.tag];
      if (!fn) throw new TemplateError(`${name}:${line}: unknown tag ${node.tag}`);
      if (fn === 'Fn::GetAtt' && typeof value === 'string') {
        const dot = value.indexOf('.');
        value = dot < 0 ? [value] : [value.slice(0, dot), value.slice(dot + 1)];
      }
      value = { [fn]: value };
      lines.set(`${path}/${fn}`, line);
    }
    return value;
  }

  const template = convert(doc.contents, '');
  return { template, lines };
}

export function loadTemplate(file) {
  return parseTemplate(readFileSync(file, 'utf8'), file);
}
