# The operator image the Helm chart runs. Build: docker build -t hmco-operator .
FROM swift:6.3-noble AS build
WORKDIR /src
COPY Package.swift ./
RUN swift package resolve
COPY Sources ./Sources
COPY Tests ./Tests
RUN swift build -c release --product hmco-operator --static-swift-stdlib \
 && cp "$(swift build -c release --show-bin-path)/hmco-operator" /hmco-operator

FROM ubuntu:24.04
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates libcurl4 libxml2 tzdata \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /hmco-operator /usr/local/bin/hmco-operator
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/hmco-operator"]
CMD ["run"]
