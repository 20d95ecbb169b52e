/* Paths into the case: a field's place as a JSON Pointer (/outcomes/0/baseline/date), the name
   the form, the checks and the YAML writer all give one answer. */

export function pointer(path, key) {
  return path + "/" + String(key).replace(/~/g, "~0").replace(/\//g, "~1");
}
