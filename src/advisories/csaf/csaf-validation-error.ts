/** One reason a CSAF document was refused; its own file, so the corrected tests need no validator. */
export interface CsafValidationError {
  /** JSON pointer into the document, e.g. "/document/tracking" ("" = the document itself). */
  path: string;
  message: string;
  /** Name of the validator test that reported it, e.g. "csaf_2_0_strict" or "mandatoryTest_6_1_1". */
  test?: string;
}
