/**
 * Turns whatever a runtime throws into an EngineError with a stable name. Runtimes throw their own
 * classes (WebLLM), DOMExceptions (quota, abort), raw TypeErrors (a dropped network) or plain Errors
 * whose only clue is the text, so this looks at the name first and the message second.
 */
import { asEngineError, EngineError, type EngineErrorName } from '../src/shared/engine';

const byName: Record<string, EngineErrorName> = {
  WebGPUNotAvailableError: 'WebGPUNotAvailableError',
  WebGPUNotFoundError: 'WebGPUNotAvailableError',
  ShaderF16SupportError: 'ShaderF16SupportError',
  FeatureSupportError: 'ShaderF16SupportError',
  DeviceLostError: 'DeviceLostError',
  ModelNotFoundError: 'ModelNotFoundError',
  ContextWindowSizeExceededError: 'ContextWindowSizeExceededError',
  QuotaExceededError: 'QuotaExceededError',
  AbortError: 'AbortError',
  // WebLLM's MissingModelWasmError sets `name = "MissingModelError"` (its lib/index.js).
  MissingModelError: 'ModelLibraryError',
  MissingModelWasmError: 'ModelLibraryError',
  // transformers.js: a 401/403/404 from the model host ("Could not locate file: …").
  ModelFileNotFoundError: 'ModelNotFoundError',
  CompileError: 'ModelLibraryError',
  LinkError: 'ModelLibraryError',
};

const byMessage: [RegExp, EngineErrorName][] = [
  [/quota|no space|disk (is )?full/i, 'QuotaExceededError'],
  // ONNX Runtime Web: "Can't create a session. ERROR_CODE: 6, ERROR_MESSAGE: std::bad_alloc" or
  // "… failed to allocate a buffer of size N."; V8: "RangeError: Array buffer allocation failed".
  [
    /out of memory|\boom\b|bad_alloc|failed to allocate|allocation failed|exceeds the (max|limit)/i,
    'OutOfMemoryError',
  ],
  // ONNX Runtime's WebGPU kernels: "Program Gather requires f16 but the device does not support it";
  // transformers.js: "The device (webgpu) does not support fp16."
  [/requires f16|does not support fp16/i, 'ShaderF16SupportError'],
  [/could not locate file/i, 'ModelNotFoundError'],
  [/device (was |is )?lost/i, 'DeviceLostError'],
  [/failed to fetch|networkerror|network error|load failed|err_internet|err_network/i, 'NetworkError'],
  [/cannot fetch \S+\.wasm|model lib|wasm.*(instantiate|compile)/i, 'ModelLibraryError'],
  [/\b404\b|not found/i, 'ModelNotFoundError'],
  [/webgpu.*(not (available|supported)|unavailable)|no (webgpu )?adapter/i, 'WebGPUNotAvailableError'],
  [/shader-f16/i, 'ShaderF16SupportError'],
  [/context window|prompt tokens exceed|too long/i, 'ContextWindowSizeExceededError'],
  [/aborted|abort\(\)|unload\(\) is called/i, 'AbortError'],
];

/** Names an unknown failure; keeps the original text as the detail for the log. */
export function toEngineError(cause: unknown): EngineError {
  const named = asEngineError(cause);
  if (cause instanceof EngineError || named.name !== 'UnknownError') return named;
  const name = cause instanceof Error || cause instanceof DOMException ? cause.name : '';
  const mapped = byName[name] ?? byMessage.find(([pattern]) => pattern.test(named.message))?.[1];
  return new EngineError(mapped ?? 'UnknownError', named.message || name);
}
