using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace PrunerPipeline.Hosting.Tests.Messaging;

[Collection(RabbitMqCollection.Name)]
public sealed class When_the_broker_is_started_by_the_infra_script(RabbitMqFixture rabbit)
{
    [SkippableTheory]
    [InlineData("services", HttpStatusCode.Unauthorized)]
    [InlineData("guest", HttpStatusCode.Unauthorized)]
    [InlineData("console", HttpStatusCode.OK)]
    public async Task Only_the_console_user_can_use_the_management_console(string who, HttpStatusCode expected)
    {
        rabbit.SkipUnlessAvailable();
        var (user, password) = who switch
        {
            "services" => (rabbit.Server.Username, rabbit.Server.Password),
            "guest" => ("guest", "guest"),
            _ => (rabbit.Server.ConsoleUsername, rabbit.Server.ConsolePassword),
        };
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

        var response = await http.GetAsync($"http://127.0.0.1:{rabbit.Server.ManagementPort}/api/overview");

        Assert.Equal(expected, response.StatusCode);
    }
}
