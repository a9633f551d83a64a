namespace FitbitPS.Loading
{
    /// <summary>
    /// Namespaces of engine types, for [OutputType] by name: PowerShell reads every attribute of every cmdlet class
    /// while it imports the module, before the module's initializer has made the engine loadable (it lives in a
    /// private load context), so an attribute must not need the engine assembly. nameof() keeps the names checked.
    /// </summary>
    internal static class EngineType
    {
        public const string Auth = "FitbitPS.Engine.Auth.";
        public const string Export = "FitbitPS.Engine.Export.";
        public const string Records = "FitbitPS.Engine.Records.";
    }
}
