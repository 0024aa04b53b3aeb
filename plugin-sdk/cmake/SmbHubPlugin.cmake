# smbhub_add_plugin(<target> ID <id> SOURCES <files…> [OUTPUT_DIRECTORY <dir>])
# Builds a provider plugin as a shared module named libsmbhub-<id>.so, with hidden symbols except
# the entry point that SMBHUB_PLUGIN exports.
function(smbhub_add_plugin target)
  cmake_parse_arguments(ARG "" "ID;OUTPUT_DIRECTORY" "SOURCES" ${ARGN})
  if(NOT ARG_ID)
    message(FATAL_ERROR "smbhub_add_plugin(${target}): ID is required")
  endif()
  add_library(${target} MODULE ${ARG_SOURCES})
  if(TARGET SmbHub::plugin_sdk)
    target_link_libraries(${target} PRIVATE SmbHub::plugin_sdk)
  endif()
  set_target_properties(${target} PROPERTIES
    OUTPUT_NAME smbhub-${ARG_ID}
    PREFIX lib
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  # Every symbol must resolve inside the library or its dependencies — except under sanitizers,
  # whose runtime lives in the host executable (the hub's SMBHUB_SANITIZE builds).
  if(NOT SMBHUB_SANITIZE)
    target_link_options(${target} PRIVATE -Wl,--no-undefined)
  endif()
  if(ARG_OUTPUT_DIRECTORY)
    set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${ARG_OUTPUT_DIRECTORY})
  endif()
endfunction()
