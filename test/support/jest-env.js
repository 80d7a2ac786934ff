// breakfix supports Node >= 20 with the SDK versions it pins; keep the SDK's notice out of test output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
