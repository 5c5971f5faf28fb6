# One multi-target Dockerfile for every service: docker build --target rolloutservice .
# The build stage publishes all services once; each final stage copies its own output.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/Orchestrator -c Release -o /app/orchestrator \
 && dotnet publish src/RolloutService -c Release -o /app/rolloutservice \
 && dotnet publish src/RewardService -c Release -o /app/rewardservice \
 && dotnet publish src/TrainerService -c Release -o /app/trainerservice \
 && dotnet publish src/EvalService -c Release -o /app/evalservice \
 && dotnet publish src/Cli -c Release -o /app/cli

FROM mcr.microsoft.com/dotnet/runtime:10.0 AS runtime
# Services run unprivileged; the health file and model cache live in writable folders of that user.
RUN useradd --create-home --uid 10001 pruner
USER pruner
WORKDIR /home/pruner
ENV Health__File=/tmp/pruner-health Models__CacheRoot=/home/pruner/models DOTNET_gcServer=0

FROM runtime AS orchestrator
COPY --from=build /app/orchestrator /app
ENTRYPOINT ["dotnet", "/app/PrunerPipeline.Orchestrator.dll"]

FROM runtime AS rolloutservice
COPY --from=build /app/rolloutservice /app
ENTRYPOINT ["dotnet", "/app/PrunerPipeline.RolloutService.dll"]

FROM runtime AS rewardservice
COPY --from=build /app/rewardservice /app
ENTRYPOINT ["dotnet", "/app/PrunerPipeline.RewardService.dll"]

FROM runtime AS trainerservice
COPY --from=build /app/trainerservice /app
ENTRYPOINT ["dotnet", "/app/PrunerPipeline.TrainerService.dll"]

FROM runtime AS evalservice
COPY --from=build /app/evalservice /app
ENTRYPOINT ["dotnet", "/app/PrunerPipeline.EvalService.dll"]

FROM runtime AS cli
COPY --from=build /app/cli /app
ENTRYPOINT ["dotnet", "/app/pruner.dll"]
