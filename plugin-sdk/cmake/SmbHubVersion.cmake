# The version of smb-hub and of the plugin SDK it ships: one number, read by the whole tree's
# CMakeLists.txt and by plugin-sdk/CMakeLists.txt when the SDK is configured on its own, so an
# SDK installed without the hub still names the hub release it belongs to.
set(SMBHUB_VERSION 0.1.0)
