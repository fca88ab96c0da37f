#!/usr/bin/env node
// Runs the cfn-guard policy rules (rules/relay.guard) and checks two things:
//   1. the real template (relay.yaml) breaks none of the rules;
//   2. every rule bites: each failing example test/guard/<rule>[.<variant>].yaml breaks exactly
//      the rule it is named after (that rule fails, every other rule passes or does not apply),
//      and every rule has at least one such example.
//
// cfn-guard itself is the Linux/macOS binary shipped inside the npm package
// @cdklabs/cdk-validator-cfnguard (bin/<os>/<arch>/cfn-guard).
//
// Usage: node check-guard.mjs [--template FILE] [--rules FILE] [--examples DIR]
// Prints one "PASS ..." or "FAIL ..." line per check (details indented below a FAIL).
// Exit status: 0 when every check passed, 1 otherwise, 2 on a set-up error.

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));

function option(args, name, fallback) {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
}

export function guardBinary() {
  const os = { linux: 'ubuntu', darwin: 'macos' }[process.platform];
  const arch = { x64: 'x86_64', arm64: 'aarch64' }[process.arch];
  if (!os || !arch) throw new Error(`no cfn-guard binary for ${process.platform}/${process.arch}`);
  const bin = join(HERE, 'node_modules', '@cdklabs', 'cdk-validator-cfnguard', 'bin', os, arch, 'cfn-guard');
  if (!existsSync(bin)) throw new Error(`${relative(process.cwd(), bin)} not found: run "npm install" in ${relative(process.cwd(), HERE) || '.'}`);
  return bin;
}

export function ruleNames(rulesFile) {
  return [...readFileSync(rulesFile, 'utf8').matchAll(/^\s*rule\s+([A-Za-z0-9_]+)/gm)].map((m) => m[1]);
}

// Evaluates the rules against one template. Returns Map rule -> 'PASS' | 'FAIL' | 'SKIP'.
export function evaluate(bin, rulesFile, template) {
  const run = spawnSync(bin, ['validate', '--rules', rulesFile, '--data', template, '--structured',
    '--output-format', 'json', '--show-summary', 'none'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (run.error) throw run.error;
  let reports;
  try {
    reports = JSON.parse(run.stdout);
  } catch {
    throw new Error(`cfn-guard gave no report for ${template} (exit ${run.status}): ${(run.stderr || run.stdout).trim()}`);
  }
  const report = Array.isArray(reports) ? reports[0] : reports;
  const status = new Map();
  for (const name of report.compliant ?? []) status.set(name, 'PASS');
  for (const name of report.not_applicable ?? []) status.set(name, 'SKIP');
  for (const entry of report.not_compliant ?? []) status.set(entry.Rule?.name ?? entry.name, 'FAIL');
  return status;
}

// cfn-guard's own explanation of what failed, for the log.
function explain(bin, rulesFile, template) {
  try {
    execFileSync(bin, ['validate', '--rules', rulesFile, '--data', template, '--show-summary', 'none'], { encoding: 'utf8' });
    return '';
  } catch (e) {
    return String(e.stdout ?? '');
  }
}

function main(args) {
  const template = option(args, '--template', join(HERE, 'relay.yaml'));
  const rulesFile = option(args, '--rules', join(HERE, 'rules', 'relay.guard'));
  const examplesDir = option(args, '--examples', join(HERE, 'test', 'guard'));
  const show = (p) => relative(process.cwd(), p) || p;

  let bin;
  let rules;
  try {
    bin = guardBinary();
    rules = ruleNames(rulesFile);
    if (rules.length === 0) throw new Error(`no rules in ${rulesFile}`);
  } catch (e) {
    console.error(`check-guard: ${e.message}`);
    return 2;
  }

  let failed = 0;
  const pass = (msg) => console.log(`PASS ${msg}`);
  const fail = (msg, details = []) => {
    failed++;
    console.log(`FAIL ${msg}`);
    for (const d of details) for (const line of String(d).split('\n')) if (line.trim()) console.log(`    ${line}`);
  };

  // 1. The real template.
  let status;
  try {
    status = evaluate(bin, rulesFile, template);
  } catch (e) {
    fail(`guard: ${show(template)} could not be evaluated`, [e.message]);
    status = new Map();
  }
  let explained = false;
  for (const rule of rules) {
    const s = status.get(rule);
    if (s === 'PASS' || s === 'SKIP') {
      pass(`guard: ${show(template)} satisfies ${rule}${s === 'SKIP' ? ' (not applicable)' : ''}`);
    } else {
      fail(`guard: ${show(template)} breaks ${rule}`, explained ? [] : [explain(bin, rulesFile, template)]);
      explained = true;
    }
  }

  // 2. The failing examples.
  const examples = existsSync(examplesDir)
    ? readdirSync(examplesDir).filter((f) => /\.(ya?ml|json|template)$/.test(f)).sort()
    : [];
  const covered = new Set();
  for (const file of examples) {
    const path = join(examplesDir, file);
    const rule = basename(file).split('.')[0];
    if (!rules.includes(rule)) {
      fail(`guard: ${show(path)} is not named after a rule of ${show(rulesFile)}`);
      continue;
    }
    covered.add(rule);
    let result;
    try {
      result = evaluate(bin, rulesFile, path);
    } catch (e) {
      fail(`guard: ${show(path)} could not be evaluated`, [e.message]);
      continue;
    }
    const others = rules.filter((r) => r !== rule && result.get(r) === 'FAIL');
    if (result.get(rule) !== 'FAIL') {
      fail(`guard: ${show(path)} should break ${rule}, but the rule ${result.get(rule) === 'SKIP' ? 'did not apply' : 'passed'}`);
    } else if (others.length > 0) {
      fail(`guard: ${show(path)} should break only ${rule}, but also breaks ${others.join(', ')}`);
    } else {
      pass(`guard: ${show(path)} breaks ${rule} and no other rule`);
    }
  }
  for (const rule of rules) {
    if (!covered.has(rule)) fail(`guard: rule ${rule} has no failing example in ${show(examplesDir)}`);
  }
  return failed === 0 ? 0 : 1;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = main(process.argv.slice(2));
}
