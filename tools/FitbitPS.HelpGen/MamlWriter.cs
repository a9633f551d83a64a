using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace FitbitPS.HelpGen
{
    /// <summary>Builds the MAML document PowerShell's Get-Help reads for a binary module.</summary>
    public static class MamlWriter
    {
        private static readonly XNamespace Msh = "http://msh";
        private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
        private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
        private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";
        private const string Sma = "System.Management.Automation.";
        private const string AllSets = "__AllParameterSets";

        public static XDocument Generate(string assemblyPath, IEnumerable<string> folders, XDocument xmlDoc)
        {
            var files = folders.Where(Directory.Exists)
                .SelectMany(f => Directory.EnumerateFiles(f, "*.dll"))
                .GroupBy(Path.GetFileName, StringComparer.OrdinalIgnoreCase)
                .Select(g => g.First())
                .ToList();
            if (!files.Any(f => Path.GetFileName(f).Equals("System.Management.Automation.dll", StringComparison.OrdinalIgnoreCase)))
                throw new InvalidOperationException("System.Management.Automation.dll (PowerShellStandard.Library) was not found next to the cmdlet assembly or in the given folders.");
            files.RemoveAll(f => Path.GetFileName(f).Equals(Path.GetFileName(assemblyPath), StringComparison.OrdinalIgnoreCase));
            files.Add(assemblyPath);

            var docs = xmlDoc.Descendants("member")
                .Where(m => m.Attribute("name") != null)
                .GroupBy(m => (string)m.Attribute("name")!)
                .ToDictionary(g => g.Key, g => g.First());

            using var context = new MetadataLoadContext(new PathAssemblyResolver(files));
            var assembly = context.LoadFromAssemblyPath(assemblyPath);
            var root = new XElement(Msh + "helpItems",
                new XAttribute("schema", "maml"),
                new XAttribute(XNamespace.Xmlns + "maml", Maml),
                new XAttribute(XNamespace.Xmlns + "command", Command),
                new XAttribute(XNamespace.Xmlns + "dev", Dev));

            var cmdlets = assembly.GetExportedTypes()
                .Select(t => (Type: t, Attr: t.GetCustomAttributesData().FirstOrDefault(a => a.AttributeType.FullName == Sma + "CmdletAttribute")))
                .Where(x => x.Attr != null && !x.Type.IsAbstract)
                .Select(x => (x.Type, Verb: (string)x.Attr!.ConstructorArguments[0].Value!, Noun: (string)x.Attr.ConstructorArguments[1].Value!, x.Attr))
                .OrderBy(x => x.Verb + "-" + x.Noun, StringComparer.OrdinalIgnoreCase);
            var names = cmdlets.ToDictionary(c => "T:" + c.Type.FullName, c => c.Verb + "-" + c.Noun, StringComparer.Ordinal);
            foreach (var c in cmdlets)
                root.Add(CommandElement(c.Type, c.Verb, c.Noun, c.Attr, docs, names));
            return new XDocument(new XDeclaration("1.0", "utf-8", null), root);
        }

        private sealed class ParamInfo
        {
            public string Name = "";
            public Type Type = null!;
            public string Description = "";
            public string DefaultValue = "";
            public string[] Aliases = Array.Empty<string>();
            public string[] ValidValues = Array.Empty<string>();
            public List<(string Set, bool Mandatory, int? Position, bool Pipeline, bool ByName)> Sets = new();
            public bool IsSwitch => Type.FullName == Sma + "SwitchParameter";
        }

        private static XElement CommandElement(Type type, string verb, string noun, CustomAttributeData cmdletAttr, Dictionary<string, XElement> docs,
            IReadOnlyDictionary<string, string> cmdletNames)
        {
            var name = verb + "-" + noun;
            docs.TryGetValue("T:" + type.FullName, out var typeDoc);
            var summary = Paragraphs(typeDoc?.Element("summary"));
            var remarks = Paragraphs(typeDoc?.Element("remarks"));
            var synopsis = FirstSentence(summary.FirstOrDefault() ?? "");
            // The description says more than the synopsis: the rest of the summary, then the remarks.
            var description = new List<string>();
            var restOfSummary = (summary.FirstOrDefault() ?? "").Substring(synopsis.Length).Trim();
            if (restOfSummary.Length > 0) description.Add(restOfSummary);
            description.AddRange(summary.Skip(1));
            description.AddRange(remarks);
            var defaultSet = cmdletAttr.NamedArguments.Where(a => a.MemberName == "DefaultParameterSetName").Select(a => (string?)a.TypedValue.Value).FirstOrDefault();
            var shouldProcess = cmdletAttr.NamedArguments.Any(a => a.MemberName == "SupportsShouldProcess" && (bool)a.TypedValue.Value!);

            var parameters = Parameters(type, docs);
            if (shouldProcess)
            {
                parameters.Add(Switch("WhatIf", "Shows what would happen if the cmdlet runs. The cmdlet is not run.", "wi"));
                parameters.Add(Switch("Confirm", "Prompts you for confirmation before running the cmdlet.", "cf"));
            }

            var setNames = parameters.SelectMany(p => p.Sets.Select(s => s.Set)).Where(s => s != AllSets).Distinct().ToList();
            // A default set no parameter names (Connect-Fitbit's "Saved") is still a way to call the cmdlet.
            if (defaultSet != null && setNames.Count > 0 && !setNames.Contains(defaultSet)) setNames.Add(defaultSet);
            if (setNames.Count == 0) setNames.Add(AllSets);
            setNames = setNames.OrderBy(s => s == defaultSet ? 0 : 1).ToList();

            var syntax = new XElement(Command + "syntax");
            foreach (var set in setNames)
            {
                var item = new XElement(Command + "syntaxItem", new XElement(Maml + "name", name));
                var inSet = parameters
                    .Select(p => (P: p, S: p.Sets.FirstOrDefault(s => s.Set == set || s.Set == AllSets)))
                    .Where(x => x.S.Set != null)
                    .OrderBy(x => x.S.Position ?? int.MaxValue).ThenBy(x => x.S.Mandatory ? 0 : 1);
                foreach (var (p, s) in inSet)
                    item.Add(ParameterElement(p, s.Mandatory, s.Position, s.Pipeline, s.ByName, inSyntax: true));
                syntax.Add(item);
            }

            var paramsElement = new XElement(Command + "parameters");
            foreach (var p in parameters.OrderBy(p => p.Sets.Min(s => s.Position ?? int.MaxValue)).ThenBy(p => p.Name, StringComparer.Ordinal))
            {
                paramsElement.Add(ParameterElement(p,
                    p.Sets.All(s => s.Mandatory), p.Sets.Select(s => s.Position).FirstOrDefault(x => x != null),
                    p.Sets.Any(s => s.Pipeline), p.Sets.Any(s => s.ByName), inSyntax: false));
            }

            var inputs = new XElement(Command + "inputTypes");
            var pipelineParams = parameters.Where(p => p.Sets.Any(s => s.Pipeline || s.ByName)).ToList();
            if (pipelineParams.Count == 0)
                inputs.Add(TypeEntry(Command + "inputType", "None", "You cannot pipe objects to " + name + "."));
            foreach (var p in pipelineParams)
                inputs.Add(TypeEntry(Command + "inputType", TypeName(p.Type, full: true), "You can pipe a value for -" + p.Name + " to " + name + "."));

            var outputs = new XElement(Command + "returnValues");
            foreach (var o in type.GetCustomAttributesData().Where(a => a.AttributeType.FullName == Sma + "OutputTypeAttribute"))
            {
                var sets = o.NamedArguments.Where(a => a.MemberName == "ParameterSetName")
                    .SelectMany(a => ((IEnumerable<CustomAttributeTypedArgument>)a.TypedValue.Value!).Select(v => (string)v.Value!)).ToList();
                foreach (var arg in o.ConstructorArguments)
                {
                    var types = arg.Value is IEnumerable<CustomAttributeTypedArgument> many ? many.Select(m => m.Value) : new[] { arg.Value };
                    // [OutputType(typeof(T))] or, for engine types, [OutputType("Namespace.T")] (the cmdlet assembly must
                    // not need the engine while PowerShell imports it: it lives in a private load context).
                    foreach (var value in types)
                    {
                        string full, docId;
                        if (value is Type t) { full = t.FullName == "System.Void" ? "None" : TypeName(t, full: true); docId = t.FullName!; }
                        else if (value is string named) { full = named; docId = named; }
                        else continue;
                        docs.TryGetValue("T:" + docId, out var outDoc);
                        var text = Paragraphs(outDoc?.Element("summary")).FirstOrDefault()
                                   ?? (full == "None" ? name + " writes nothing to the pipeline." : "");
                        if (sets.Count > 0) text = $"With parameter set {string.Join(", ", sets)}. {text}".Trim();
                        outputs.Add(TypeEntry(Command + "returnValue", full, text));
                    }
                }
            }

            var examples = new XElement(Command + "examples");
            var n = 0;
            foreach (var ex in typeDoc?.Elements("example") ?? Enumerable.Empty<XElement>())
            {
                n++;
                var code = Code(ex.Element("code")?.Value ?? "");
                var paras = ex.Elements("para").Select(Text).Where(t => t.Length > 0).ToList();
                if (paras.Count == 0 && code.Length == 0) continue;
                examples.Add(new XElement(Command + "example",
                    new XElement(Maml + "title", $"-------------------------- Example {n} --------------------------"),
                    new XElement(Dev + "code", code),
                    new XElement(Dev + "remarks", paras.Select(Para))));
            }

            var notes = new List<string>
            {
                "This cmdlet supports the common parameters: -Debug, -ErrorAction, -ErrorVariable, -InformationAction, -InformationVariable, " +
                "-OutVariable, -OutBuffer, -PipelineVariable, -Verbose, -WarningAction and -WarningVariable. See about_CommonParameters.",
            };

            return new XElement(Command + "command",
                new XElement(Command + "details",
                    new XElement(Command + "name", name),
                    new XElement(Command + "verb", verb),
                    new XElement(Command + "noun", noun),
                    new XElement(Maml + "description", Para(synopsis))),
                new XElement(Maml + "description", description.Select(Para)),
                syntax,
                paramsElement,
                inputs,
                outputs,
                new XElement(Maml + "alertSet", new XElement(Maml + "alert", notes.Select(Para))),
                examples,
                new XElement(Command + "relatedLinks", RelatedLinks(typeDoc, cmdletNames)));
        }

        /// <summary>&lt;seealso cref="OtherCommand"/&gt; names another cmdlet; &lt;seealso href="about_X"&gt; an about topic or a web page.</summary>
        private static IEnumerable<XElement> RelatedLinks(XElement? typeDoc, IReadOnlyDictionary<string, string> cmdletNames)
        {
            foreach (var see in typeDoc?.Elements("seealso") ?? Enumerable.Empty<XElement>())
            {
                var cref = (string?)see.Attribute("cref");
                var href = (string?)see.Attribute("href");
                string text, uri = "";
                if (cref != null && cmdletNames.TryGetValue(cref, out var cmdlet)) text = cmdlet;
                else if (href != null) { text = see.Value.Length > 0 ? Squash(see.Value) : href; if (href.Contains("://")) uri = href; }
                else throw new InvalidOperationException($"<seealso> '{cref ?? see.ToString()}' names no cmdlet of this module.");
                yield return new XElement(Maml + "navigationLink", new XElement(Maml + "linkText", text), new XElement(Maml + "uri", uri));
            }
        }

        private static ParamInfo Switch(string name, string description, string alias) => new()
        {
            Name = name,
            Type = null!,
            Description = description,
            Aliases = new[] { alias },
            Sets = { (AllSets, false, null, false, false) },
        };

        private static List<ParamInfo> Parameters(Type type, Dictionary<string, XElement> docs)
        {
            var result = new List<ParamInfo>();
            foreach (var prop in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                var attrs = prop.GetCustomAttributesData();
                var paramAttrs = attrs.Where(a => a.AttributeType.FullName == Sma + "ParameterAttribute").ToList();
                if (paramAttrs.Count == 0) continue;
                docs.TryGetValue("P:" + prop.DeclaringType!.FullName + "." + prop.Name, out var propDoc);
                var info = new ParamInfo
                {
                    Name = prop.Name,
                    Type = prop.PropertyType,
                    Description = string.Join(" ", Paragraphs(propDoc?.Element("summary"))),
                    DefaultValue = DefaultOf(propDoc),
                };
                foreach (var a in paramAttrs)
                {
                    string Get(string n) => a.NamedArguments.Where(x => x.MemberName == n).Select(x => x.TypedValue.Value?.ToString()).FirstOrDefault() ?? "";
                    var pos = int.TryParse(Get("Position"), out var p) && p >= 0 ? p : (int?)null;
                    var set = Get("ParameterSetName");
                    info.Sets.Add((set.Length == 0 ? AllSets : set, Get("Mandatory") == "True", pos,
                        Get("ValueFromPipeline") == "True", Get("ValueFromPipelineByPropertyName") == "True"));
                }
                info.Aliases = attrs.Where(a => a.AttributeType.FullName == Sma + "AliasAttribute")
                    .SelectMany(a => a.ConstructorArguments)
                    .SelectMany(arg => arg.Value is IEnumerable<CustomAttributeTypedArgument> many ? many.Select(m => m.Value as string) : new[] { arg.Value as string })
                    .OfType<string>().ToArray();
                info.ValidValues = attrs.Where(a => a.AttributeType.FullName == Sma + "ValidateSetAttribute")
                    .SelectMany(a => a.ConstructorArguments)
                    .SelectMany(arg => arg.Value is IEnumerable<CustomAttributeTypedArgument> many ? many.Select(m => m.Value as string) : new[] { arg.Value as string })
                    .OfType<string>().ToArray();
                var enumType = Nullable(info.Type) ?? info.Type;
                if (enumType.IsArray) enumType = enumType.GetElementType()!;
                if (info.ValidValues.Length == 0 && enumType.IsEnum)
                    info.ValidValues = enumType.GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => f.Name).ToArray();
                result.Add(info);
            }
            return result;
        }

        private static XElement ParameterElement(ParamInfo p, bool mandatory, int? position, bool pipeline, bool byName, bool inSyntax)
        {
            var isSwitch = p.Type == null || p.IsSwitch;
            var typeName = p.Type == null ? "SwitchParameter" : TypeName(p.Type, full: false);
            var fullType = p.Type == null ? Sma + "SwitchParameter" : TypeName(p.Type, full: true);
            var pipelineText = pipeline && byName ? "True (ByValue, ByPropertyName)" : pipeline ? "True (ByValue)" : byName ? "True (ByPropertyName)" : "False";
            var e = new XElement(Command + "parameter",
                new XAttribute("required", mandatory ? "true" : "false"),
                new XAttribute("variableLength", "true"),
                new XAttribute("globbing", "false"),
                new XAttribute("pipelineInput", pipelineText),
                new XAttribute("position", position?.ToString() ?? "named"),
                new XAttribute("aliases", p.Aliases.Length == 0 ? "none" : string.Join(", ", p.Aliases)),
                new XElement(Maml + "name", p.Name),
                new XElement(Maml + "description", Para(p.Description)));
            if (inSyntax && p.ValidValues.Length > 0)
                e.Add(new XElement(Command + "parameterValueGroup",
                    p.ValidValues.Select(v => new XElement(Command + "parameterValue", new XAttribute("required", "false"), new XAttribute(Command + "variableLength", "false"), v))));
            if (!isSwitch)
                e.Add(new XElement(Command + "parameterValue", new XAttribute("required", "true"), new XAttribute("variableLength", "false"), typeName));
            e.Add(new XElement(Dev + "type", new XElement(Maml + "name", fullType), new XElement(Maml + "uri")));
            e.Add(new XElement(Dev + "defaultValue", p.DefaultValue.Length > 0 ? p.DefaultValue : isSwitch ? "False" : "None"));
            return e;
        }

        /// <summary>A parameter's default comes from its &lt;value&gt;Default: …&lt;/value&gt; doc (a Pester test checks
        /// it against the default the cmdlet really has).</summary>
        private static string DefaultOf(XElement? propDoc)
        {
            var value = Text(propDoc?.Element("value") ?? new XElement("value"));
            const string prefix = "Default:";
            return value.StartsWith(prefix, StringComparison.Ordinal) ? value.Substring(prefix.Length).Trim() : value;
        }

        private static XElement TypeEntry(XName element, string typeName, string description) =>
            new(element,
                new XElement(Dev + "type", new XElement(Maml + "name", typeName)),
                new XElement(Maml + "description", Para(description)));

        private static XElement Para(string text) => new(Maml + "para", text);

        private static Type? Nullable(Type t) =>
            t.IsGenericType && t.GetGenericTypeDefinition().FullName == "System.Nullable`1" ? t.GetGenericArguments()[0] : null;

        private static string TypeName(Type t, bool full)
        {
            var inner = Nullable(t);
            if (inner != null) return TypeName(inner, full);
            if (t.IsArray) return TypeName(t.GetElementType()!, full) + "[]";
            return full ? t.FullName ?? t.Name : t.Name;
        }

        /// <summary>Splits a doc element into paragraphs: explicit &lt;para&gt; children, else the whole text.</summary>
        private static List<string> Paragraphs(XElement? element)
        {
            if (element == null) return new List<string>();
            var paras = element.Elements("para").ToList();
            if (paras.Count == 0) return new List<string> { Text(element) }.Where(t => t.Length > 0).ToList();
            var result = new List<string>();
            var lead = new StringBuilder();
            foreach (var node in element.Nodes())
            {
                if (node is XElement { Name.LocalName: "para" } para)
                {
                    if (lead.Length > 0) { result.Add(Squash(lead.ToString())); lead.Clear(); }
                    result.Add(Text(para));
                }
                else lead.Append(NodeText(node));
            }
            if (Squash(lead.ToString()).Length > 0) result.Add(Squash(lead.ToString()));
            return result.Where(t => t.Length > 0).ToList();
        }

        private static string Text(XElement element) => Squash(string.Concat(element.Nodes().Select(NodeText)));

        private static string NodeText(XNode node) => node switch
        {
            XText t => t.Value,
            XElement { Name.LocalName: "see" or "seealso" } e =>
                (string?)e.Attribute("langword") ?? (e.Value.Length > 0 ? e.Value : Short((string?)e.Attribute("cref") ?? (string?)e.Attribute("href") ?? "")),
            XElement { Name.LocalName: "paramref" or "typeparamref" } e => (string?)e.Attribute("name") ?? "",
            XElement e => string.Concat(e.Nodes().Select(NodeText)),
            _ => "",
        };

        private static string Short(string cref)
        {
            var s = cref.Contains(':') ? cref[(cref.IndexOf(':') + 1)..] : cref;
            var paren = s.IndexOf('(');
            if (paren >= 0) s = s[..paren];
            return s[(s.LastIndexOf('.') + 1)..];
        }

        private static string Squash(string s) => Regex.Replace(s, @"\s+", " ").Trim();

        /// <summary>Keeps the code's line breaks and removes the indentation the doc comment added.</summary>
        private static string Code(string code)
        {
            var lines = code.Replace("\r\n", "\n").Split('\n').ToList();
            while (lines.Count > 0 && lines[0].Trim().Length == 0) lines.RemoveAt(0);
            while (lines.Count > 0 && lines[^1].Trim().Length == 0) lines.RemoveAt(lines.Count - 1);
            var indent = lines.Where(l => l.Trim().Length > 0).Select(l => l.Length - l.TrimStart().Length).DefaultIfEmpty(0).Min();
            return string.Join("\n", lines.Select(l => l.Length >= indent ? l[indent..].TrimEnd() : l.Trim()));
        }

        private static string FirstSentence(string text)
        {
            var m = Regex.Match(text, @"^.+?[.!?](?=\s+[A-Z(""'-]|$)");
            return m.Success ? m.Value : text;
        }
    }
}
