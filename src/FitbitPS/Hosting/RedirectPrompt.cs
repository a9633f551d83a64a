using System;
using System.Management.Automation;

namespace FitbitPS.Hosting
{
    /// <summary>Connect-Fitbit -NoBrowser: shows the sign-in address and reads back the address the browser was sent to.</summary>
    internal static class RedirectPrompt
    {
        /// <summary>Runs on the pipeline thread (the host UI is only usable there).</summary>
        public static string Ask(PSCmdlet cmdlet, string url)
        {
            cmdlet.WriteInformation(new HostInformationMessage
            {
                Message = "Open this address in a browser on any device, sign in and allow access:" + Environment.NewLine + url + Environment.NewLine +
                          "The browser then fails to load a page on 127.0.0.1 - that is expected. Copy the whole address from its address bar and paste it here " +
                          "(or press Enter and finish later with Connect-Fitbit -RedirectUrl '<address>').",
            }, new[] { "PSHOST", "FitbitSignInUrl" });
            cmdlet.Host.UI.Write("Redirected address: ");
            return cmdlet.Host.UI.ReadLine();
        }
    }
}
