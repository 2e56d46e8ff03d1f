import { Logger } from '@nestjs/common';

// Unit tests exercise classes that log; keep the output to test results.
Logger.overrideLogger(false);
