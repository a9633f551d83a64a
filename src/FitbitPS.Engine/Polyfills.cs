// Polyfills for C# features that netstandard2.0 lacks. Only the readers branch adds this file
// (see BRIEF: one branch owns IsExternalInit so merges stay clean).
namespace System.Runtime.CompilerServices
{
    /// <summary>Lets the engine use <c>init</c> accessors and records on netstandard2.0.</summary>
    internal static class IsExternalInit { }
}
