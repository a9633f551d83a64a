namespace FitbitPS.Engine.Auth
{
    /// <summary>Gives the Health API client a current access token; refreshes transparently.</summary>
    internal interface IAccessTokenSource
    {
        /// <param name="rejected">The access token Google just refused with a 401, or null. A new token is fetched
        /// only while the source still holds that very token: a late 401 for a request sent before another caller
        /// refreshed gets the newer token, not another refresh.</param>
        System.Threading.Tasks.Task<string> GetAccessTokenAsync(string rejected, System.Threading.CancellationToken cancellationToken);
    }
}
