# Custom resource for real AWS (inline Lambda, no assets, no Docker on the
# learner's machine): copies a small public image into the lab's private ECR
# repository, then asks the service for one task. CloudFormation never waits
# for that task, so the stack cannot hang on a service that cannot stabilise.
import json, urllib.request, boto3, cfnresponse

ACCEPT = ", ".join([
    "application/vnd.oci.image.index.v1+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.docker.distribution.manifest.v2+json"])


def get(url, token, accept=ACCEPT):
    req = urllib.request.Request(url, headers={"Authorization": "Bearer " + token, "Accept": accept})
    with urllib.request.urlopen(req, timeout=60) as r:
        return r.read(), r.headers.get("Content-Type", "").split(";")[0]


def copy_image(p):
    src, name, ref = p["SourceRegistry"], p["SourceRepository"], p["SourceTag"]
    token = json.loads(urllib.request.urlopen("https://%s/token/" % src, timeout=30).read())["token"]
    base = "https://%s/v2/%s" % (src, name)
    body, mtype = get("%s/manifests/%s" % (base, ref), token)
    doc = json.loads(body)
    if "manifests" in doc:  # an index: take linux/amd64, what Fargate runs by default
        m = [x for x in doc["manifests"] if x.get("platform", {}).get("architecture") == "amd64" and x.get("platform", {}).get("os") == "linux"][0]
        body, mtype = get("%s/manifests/%s" % (base, m["digest"]), token, m["mediaType"])
        doc = json.loads(body)
    ecr, repo = boto3.client("ecr"), p["RepositoryName"]
    for blob in [doc["config"]] + doc["layers"]:
        digest = blob["digest"]
        have = ecr.batch_check_layer_availability(repositoryName=repo, layerDigests=[digest])["layers"]
        if have and have[0].get("layerAvailability") == "AVAILABLE":
            continue
        data, _ = get("%s/blobs/%s" % (base, digest), token, "*/*")
        up = ecr.initiate_layer_upload(repositoryName=repo)
        size = up["partSize"]
        for start in range(0, len(data), size):
            ecr.upload_layer_part(repositoryName=repo, uploadId=up["uploadId"], partFirstByte=start,
                                  partLastByte=min(start + size, len(data)) - 1, layerPartBlob=data[start:start + size])
        ecr.complete_layer_upload(repositoryName=repo, uploadId=up["uploadId"], layerDigests=[digest])
    try:
        ecr.put_image(repositoryName=repo, imageManifest=body.decode(), imageManifestMediaType=mtype, imageTag=p["TargetTag"])
    except ecr.exceptions.ImageAlreadyExistsException:
        pass


def handler(event, context):
    try:
        p = event["ResourceProperties"]
        if event["RequestType"] in ("Create", "Update"):
            if p.get("SourceRepository"):
                copy_image(p)
            boto3.client("ecs").update_service(cluster=p["Cluster"], service=p["Service"], desiredCount=int(p["DesiredCount"]))
        cfnresponse.send(event, context, cfnresponse.SUCCESS, {}, event.get("PhysicalResourceId") or p["Service"])
    except Exception as e:  # report, never hang CloudFormation
        cfnresponse.send(event, context, cfnresponse.FAILED, {}, event.get("PhysicalResourceId") or "none", reason=str(e)[:500])
