import { prohibitedDocumentCategoryName } from './prohibited-document-category-name';

const withCategory = (category: unknown): unknown => ({ document: { category } });

describe('mandatory test 6.1.26: prohibited document category name', () => {
  it.each([
    'csaf_base',
    'csaf_security_advisory',
    'csaf_vex',
    'csaf_informational_advisory',
    'csaf_security_incident_response',
    'Example Company Security Notice',
    'OASIS CSAF TC Security Incident Response',
    'vex report',
    'securityadvisories',
  ])('passes %j', (category) => {
    expect(prohibitedDocumentCategoryName(withCategory(category))).toEqual([]);
  });

  it.each([
    // The spec's examples and the TC's failing documents 6-1-26-01..04.
    ['Security_Incident_Response', 'csaf_security_incident_response'],
    ['Informational Advisory', 'csaf_informational_advisory'],
    ['security-incident-response', 'csaf_security_incident_response'],
    ['Security      Advisory', 'csaf_security_advisory'],
    ['veX', 'csaf_vex'],
    ['csafsecurityadvisory', 'csaf_security_advisory'],
    ['CSAF VEX', 'csaf_vex'],
    ['CSAF-Security-Advisory', 'csaf_security_advisory'],
    // Graphical variants of dash and underscore: en dash, non-breaking hyphen, fullwidth low line.
    ['security–advisory', 'csaf_security_advisory'],
    ['security\u2011advisory', 'csaf_security_advisory'],
    ['security\uFF3Fadvisory', 'csaf_security_advisory'],
  ])('fails %j as the profile %s', (category, profile) => {
    expect(prohibitedDocumentCategoryName(withCategory(category))).toEqual([
      { path: '/document/category', message: expect.stringContaining(`reads as the profile "${profile}"`), test: 'mandatoryTest_6_1_26' },
    ]);
  });

  it.each(['csaf_BASE', 'Csaf_VeX', 'csaf_a', 'CSAF_internal'])('fails %j for the reserved prefix csaf_', (category) => {
    expect(prohibitedDocumentCategoryName(withCategory(category))).toEqual([
      { path: '/document/category', message: expect.stringContaining('reserved prefix "csaf_"'), test: 'mandatoryTest_6_1_26' },
    ]);
  });

  it.each([
    ['no document', undefined],
    ['a category that is no string', withCategory(7)],
  ])('leaves %s to the schema test', (_label, doc) => {
    expect(prohibitedDocumentCategoryName(doc)).toEqual([]);
  });
});
