// opencc-js 1.4.2 ships each dictionary as its own module ("./*" in its package exports) but types
// only its entry points. Each one is a string of "source replacement" pairs joined by "|".
declare module 'opencc-js/dict/*' {
  const dictionary: string;
  export default dictionary;
}
