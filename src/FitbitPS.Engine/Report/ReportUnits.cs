using System;
using System.Globalization;
using System.IO;
using System.Text;
using FitbitPS.Engine.Api.Wire;
using FitbitPS.Engine.Store;
using Newtonsoft.Json;

namespace FitbitPS.Engine.Report
{
    /// <summary>Which units the report shows (-Unit).</summary>
    public enum ReportUnitSystem
    {
        /// <summary>The person's Fitbit settings as the store kept them; without them, this computer's region.</summary>
        Account,
        /// <summary>kg, km, °C.</summary>
        Metric,
        /// <summary>lb, miles, °F.</summary>
        Imperial,
    }

    /// <summary>The units of one report: each measure in the person's own unit (the store keeps both kg and lb, km and miles,
    /// so nothing is converted but a temperature difference).</summary>
    public sealed class ReportUnits
    {
        public bool Pounds { get; private set; }
        public bool Miles { get; private set; }
        public bool Fahrenheit { get; private set; }
        /// <summary>Where they came from, said in the page ("Fitbit account settings", "-Unit Metric", "this computer's region").</summary>
        public string Origin { get; private set; }

        public string Weight => Pounds ? "lb" : "kg";
        public string Distance => Miles ? "mi" : "km";
        public string Temperature => Fahrenheit ? "°F" : "°C";

        internal static ReportUnits Resolve(FitbitStore store, string profile, ReportUnitSystem requested)
        {
            switch (requested)
            {
                case ReportUnitSystem.Metric: return new ReportUnits { Origin = "-Unit Metric" };
                case ReportUnitSystem.Imperial: return new ReportUnits { Pounds = true, Miles = true, Fahrenheit = true, Origin = "-Unit Imperial" };
            }
            var settings = KeptSettings(store, profile);
            if (settings != null && (settings.WeightUnit != null || settings.DistanceUnit != null || settings.TemperatureUnit != null))
                return new ReportUnits
                {
                    // Stone shows as pounds: the store keeps kg and lb only.
                    Pounds = settings.WeightUnit == "WEIGHT_UNIT_POUNDS" || settings.WeightUnit == "WEIGHT_UNIT_STONE",
                    Miles = settings.DistanceUnit == "DISTANCE_UNIT_MILES",
                    Fahrenheit = settings.TemperatureUnit == "TEMPERATURE_UNIT_FAHRENHEIT",
                    Origin = "Fitbit account settings",
                };
            bool metric = RegionInfo.CurrentRegion.IsMetric;
            return new ReportUnits { Pounds = !metric, Miles = !metric, Fahrenheit = !metric, Origin = "this computer's region (the store holds no account settings)" };
        }

        /// <summary>The latest settings answer an export kept for the profile (raw answers), or null (a Takeout-only store, or
        /// one whose exports never needed the time zone).</summary>
        private static Settings KeptSettings(FitbitStore store, string profile)
        {
            try
            {
                var answer = RawAnswers.Find(store, profile, Export.Exporter.RawSettingsKey);
                return answer == null ? null : JsonConvert.DeserializeObject<Settings>(Encoding.UTF8.GetString(answer));
            }
            catch (Exception e) when (e is JsonException || e is InvalidDataException)
            {
                return null; // a damaged answer: fall back to the region, as for a store without one
            }
        }
    }
}
