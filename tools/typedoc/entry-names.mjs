// A TypeDoc plugin (typedoc.json "plugin"). TypeDoc reads each package's entry points from its
// `exports` map, so a new subpath (such as "@interop/image/iolink") is documented without a list to
// edit; it names each module after its subpath ("node", "iolink") but leaves the main entry "."
// without a name. This names it "index", as the pages were called when entries were listed by file.
import { Converter, ReflectionKind } from 'typedoc';

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_CREATE_DECLARATION, (_context, reflection) => {
    if (reflection.kindOf(ReflectionKind.Module) && reflection.name === '') reflection.name = 'index';
  });
}
