/**
 * What `npm run verify:sizes` loads: for each device class, the ONNX variant and backend the device
 * policy offers (src/shared/device-policy.ts), plus every variant it refuses for size, to show the
 * refusal is earned. Read from the policy itself so the check cannot drift from what users get.
 */
import { catalog, type Backend } from '../../src/shared/catalog';
import { planFor, type DeviceClass, type DeviceFacts } from '../../src/shared/device-policy';

export interface VerifyCase {
  entry: string;
  dtype: string;
  file: string;
  backend: Backend;
  /** The device classes that are offered this case, or why it is refused. */
  offeredOn: string;
  /** WebGPU on SwiftShader has no shader-f16: an f16 case can create its session, not run. */
  sessionOnly: boolean;
}

const gpu = { webgpu: true, maxBufferSize: 2 ** 31, maxStorageBufferBindingSize: 2 ** 30 };
const devices: Record<DeviceClass, DeviceFacts> = {
  'webgpu-f16': { ...gpu, shaderF16: true },
  webgpu: { ...gpu, shaderF16: false },
  'no-webgpu': { webgpu: false, shaderF16: false, maxBufferSize: 0, maxStorageBufferBindingSize: 0 },
};

export function verifyCases(): VerifyCase[] {
  const cases = new Map<string, VerifyCase>();
  const onnxModels = catalog.filter((model) => model.runtime === 'transformers' && !model.testOnly);
  for (const [kind, facts] of Object.entries(devices)) {
    for (const choice of planFor(onnxModels, facts).choices) {
      const { placement } = choice;
      if (!placement?.variant) continue;
      const key = `${choice.model.id} ${placement.variant.dtype} ${placement.backend}`;
      const known = cases.get(key);
      if (known) {
        known.offeredOn += `, ${kind}`;
        continue;
      }
      cases.set(key, {
        entry: `${choice.model.id} ${placement.variant.dtype}`,
        dtype: placement.variant.dtype,
        file: placement.variant.modelFile.replace(/^onnx\//, ''),
        backend: placement.backend,
        offeredOn: kind,
        sessionOnly: placement.variant.requiredFeatures.includes('shader-f16'),
      });
    }
  }
  // The variants the policy refuses for size: loaded anyway, on every backend, to show why.
  for (const model of onnxModels) {
    for (const variant of model.variants ?? []) {
      const offered = [...cases.values()].some((item) => item.entry === `${model.id} ${variant.dtype}`);
      if (offered) continue;
      for (const backend of variant.backends) {
        cases.set(`${model.id} ${variant.dtype} ${backend}`, {
          entry: `${model.id} ${variant.dtype}`,
          dtype: variant.dtype,
          file: variant.modelFile.replace(/^onnx\//, ''),
          backend,
          offeredOn: 'refused everywhere',
          sessionOnly: false,
        });
      }
    }
  }
  return [...cases.values()];
}
