/**
 * The device check that runs before anything downloads. It asks for an adapter only (no device),
 * so it is cheap and cannot itself take GPU memory.
 */
import type { ModelRecord } from '../shared/catalog';
import type { DeviceFacts } from '../shared/device-policy';

export type GpuStatus = 'ready' | 'no-webgpu' | 'no-adapter' | 'insecure-context';

export interface GpuReport {
  status: GpuStatus;
  shaderF16: boolean;
  /** Adapter description, when the browser shares it. */
  adapterName: string;
  /** The largest single buffer the adapter allows, in bytes (0 without an adapter). */
  maxBufferSize: number;
  maxStorageBufferBindingSize: number;
}

const noGpu = (status: GpuStatus): GpuReport => ({
  status,
  shaderF16: false,
  adapterName: '',
  maxBufferSize: 0,
  maxStorageBufferBindingSize: 0,
});

/** Checks WebGPU, the adapter, `shader-f16` and the adapter's limits. */
export async function checkGpu(nav: Navigator = navigator): Promise<GpuReport> {
  if (!globalThis.isSecureContext) return noGpu('insecure-context');
  if (!('gpu' in nav) || !nav.gpu) return noGpu('no-webgpu');
  let adapter: GPUAdapter | null = null;
  try {
    adapter = await nav.gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch (cause) {
    console.warn('[gpu] requestAdapter failed', cause);
  }
  if (!adapter) return noGpu('no-adapter');
  const info = adapter.info;
  return {
    status: 'ready',
    shaderF16: adapter.features.has('shader-f16'),
    adapterName: [info.vendor, info.architecture, info.description].filter(Boolean).join(' · '),
    maxBufferSize: adapter.limits.maxBufferSize,
    maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
  };
}

/** Why a model cannot run here, or undefined when it can (perhaps slowly, on the CPU). */
export type ModelBlocker = 'needs-webgpu' | 'needs-shader-f16';

export function modelBlocker(model: ModelRecord, gpu: GpuReport): ModelBlocker | undefined {
  if (model.device === 'webgpu' && gpu.status !== 'ready') return 'needs-webgpu';
  if (model.requiredFeatures.includes('shader-f16') && !gpu.shaderF16) return 'needs-shader-f16';
  return undefined;
}

/** True when the model would run on the CPU backend because WebGPU is missing. */
export function runsOnCpu(model: ModelRecord, gpu: GpuReport): boolean {
  return model.device === 'webgpu-or-wasm' && gpu.status !== 'ready';
}

/** The adapter check reduced to what the device policy needs. */
export function deviceFacts(gpu: GpuReport): DeviceFacts {
  return {
    webgpu: gpu.status === 'ready',
    shaderF16: gpu.shaderF16,
    maxBufferSize: gpu.maxBufferSize,
    maxStorageBufferBindingSize: gpu.maxStorageBufferBindingSize,
  };
}
