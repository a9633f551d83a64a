using System.Linq;

namespace FitbitPS.Engine.Records.Mapping
{
    /// <summary>Google's enum values as record text.</summary>
    internal static class EnumNames
    {
        /// <summary>"MODERATELY_ACTIVE" → "ModeratelyActive".</summary>
        public static string Pascal(string enumName)
        {
            if (string.IsNullOrEmpty(enumName)) return enumName;
            var parts = enumName.ToLowerInvariant().Split('_');
            return string.Concat(parts.Where(s => s.Length > 0).Select(s => char.ToUpperInvariant(s[0]) + s.Substring(1)));
        }
    }
}
