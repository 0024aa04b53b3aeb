# The plugin SDK on its own, as docs/plugin-authoring.md tells an author to install it: configure
# plugin-sdk/ as a project of its own (with every library the hub needs made unfindable, so the
# SDK cannot have come to depend on one of them), install it into an empty prefix, build
# examples/chat-webhook against that prefix only, and have `smb-hub plugins` load the result.
#
#   cmake -DSOURCE_DIR=… -DWORK_DIR=… -DGENERATOR=… -DMAKE_PROGRAM=… -DCXX_COMPILER=…
#         -DHUB_BINARY=… -P StandaloneSdkTest.cmake
#
# WORK_DIR is emptied first and removed when the test passes (kept for a look when it fails).
cmake_minimum_required(VERSION 3.16)

foreach(var SOURCE_DIR WORK_DIR GENERATOR MAKE_PROGRAM CXX_COMPILER HUB_BINARY)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "StandaloneSdkTest.cmake needs -D${var}=…")
  endif()
endforeach()

# Everything the hub's own build finds; the SDK and a plugin built with it must need none.
set(hub_only_packages Poco Boost PostgreSQL yaml-cpp OpenSSL SQLite3 GTest Threads)
set(no_hub_packages)
foreach(package ${hub_only_packages})
  list(APPEND no_hub_packages -DCMAKE_DISABLE_FIND_PACKAGE_${package}=ON)
endforeach()
set(toolchain -G ${GENERATOR} -DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM}
              -DCMAKE_CXX_COMPILER=${CXX_COMPILER} -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF)

function(run step)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${step} failed (${rc}):\n${ARGN}\n${out}")
  endif()
  set(last_output "${out}" PARENT_SCOPE)
endfunction()

file(REMOVE_RECURSE ${WORK_DIR})
set(sdk_build ${WORK_DIR}/sdk-build)
set(prefix ${WORK_DIR}/prefix)
set(plugin_build ${WORK_DIR}/chat-build)
file(MAKE_DIRECTORY ${prefix})

# 1. The SDK alone, into an empty prefix.
run("configuring plugin-sdk alone" ${CMAKE_COMMAND} -S ${SOURCE_DIR}/plugin-sdk -B ${sdk_build}
    ${toolchain} ${no_hub_packages})
run("installing the SDK" ${CMAKE_COMMAND} --install ${sdk_build} --prefix ${prefix})
file(GLOB package_config ${prefix}/lib*/cmake/SmbHubPluginSdk/SmbHubPluginSdkConfig.cmake
     ${prefix}/lib/*/cmake/SmbHubPluginSdk/SmbHubPluginSdkConfig.cmake)
if(NOT package_config)
  message(FATAL_ERROR "no SmbHubPluginSdkConfig.cmake under ${prefix}:\n${last_output}")
endif()
if(NOT EXISTS ${prefix}/include/smbhub/sdk/plugin.h)
  message(FATAL_ERROR "include/smbhub/sdk/plugin.h was not installed:\n${last_output}")
endif()
file(GLOB_RECURSE installed RELATIVE ${prefix} ${prefix}/*)
foreach(file ${installed})
  if(NOT file MATCHES "^include/smbhub/sdk/|/cmake/SmbHubPluginSdk/")
    message(FATAL_ERROR "the SDK installed ${file}, which is not part of it")
  endif()
endforeach()

# 2. The example plugin, against that prefix and nothing else.
run("configuring examples/chat-webhook" ${CMAKE_COMMAND} -S ${SOURCE_DIR}/examples/chat-webhook
    -B ${plugin_build} ${toolchain} ${no_hub_packages} -DCMAKE_BUILD_TYPE=Release
    -DCMAKE_PREFIX_PATH=${prefix})
file(STRINGS ${plugin_build}/CMakeCache.txt sdk_dir REGEX "^SmbHubPluginSdk_DIR:")
get_filename_component(expected_dir ${package_config} DIRECTORY)
if(NOT sdk_dir STREQUAL "SmbHubPluginSdk_DIR:PATH=${expected_dir}")
  message(FATAL_ERROR "find_package found the SDK elsewhere: ${sdk_dir} (expected ${expected_dir})")
endif()
run("building examples/chat-webhook" ${CMAKE_COMMAND} --build ${plugin_build})
if(NOT EXISTS ${plugin_build}/libsmbhub-chat.so)
  message(FATAL_ERROR "no libsmbhub-chat.so in ${plugin_build}:\n${last_output}")
endif()

# 3. The hub loads what came out.
file(WRITE ${WORK_DIR}/hub.yaml
     "database:\n  url: \"sqlite:${WORK_DIR}/hub.db\"\n"
     "plugins:\n  dir: \"${plugin_build}\"\n  enabled: [chat]\n")
run("smb-hub plugins" ${HUB_BINARY} plugins --config ${WORK_DIR}/hub.yaml)
if(NOT last_output MATCHES "(^|\n)chat +[^ ]+ +loaded +[^\n]*libsmbhub-chat\\.so")
  message(FATAL_ERROR "smb-hub plugins did not load the chat plugin:\n${last_output}")
endif()

file(REMOVE_RECURSE ${WORK_DIR})
message(STATUS "plugin-sdk installed alone; examples/chat-webhook built against it and loaded")
