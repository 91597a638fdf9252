import { writeReport } from './report';
import { launchChromium } from './setup';

/** Puts the suites' parts together into bench/results.json and bench/results.md. */
export default async function globalTeardown(): Promise<void> {
  const browser = await launchChromium(false);
  const version = browser.version();
  await browser.close();
  writeReport(version);
}
